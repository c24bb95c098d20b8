//! Builder methods every chart shares, written once as macros. Their examples show the
//! call; what the methods do is tested once per chart kind in `tests/figures.rs`.

/// Builder methods shared by all charts: `title`, `size` and `evcxr_display`.
macro_rules! title_and_size {
    ($ty:ty, $ctor:literal, $default:literal) => {
        impl $ty {
            #[doc = concat!(
                "Sets the title drawn above the chart (book: `plt.title`).\n\n",
                "```no_run\nuse dlfs_plot::*;\n\n",
                "let fig = ", $ctor, ".title(\"Figure\").render();\n```"
            )]
            pub fn title(mut self, title: impl Into<String>) -> Self {
                self.frame.title = Some(title.into());
                self
            }

            #[doc = concat!(
                "Sets the size in pixels of the picture when rendered alone (default ",
                $default, ").\n\n",
                "```\nuse dlfs_plot::*;\n\n",
                "assert_eq!(", $ctor, ".size(400, 300).dimensions(), (400, 300));\n```"
            )]
            pub fn size(mut self, width: u32, height: u32) -> Self {
                self.frame.size = (width, height);
                self.frame.sized = true;
                self
            }

            #[doc = concat!(
                "Shows the chart inline in an evcxr notebook (renders it, then prints the ",
                "PNG in evcxr's protocol); evcxr calls this when a cell ends with the chart.\n\n",
                "```no_run\nuse dlfs_plot::*;\n\n", $ctor, ".evcxr_display();\n```"
            )]
            pub fn evcxr_display(&self) {
                $crate::Chart::evcxr_display(self);
            }
        }
    };
}

/// Builder methods shared by the charts with axes: axis names and ranges.
macro_rules! axis_methods {
    ($ty:ty, $ctor:literal, $xdefault:literal, $ydefault:literal) => {
        impl $ty {
            #[doc = concat!(
                "Sets the name written under the x axis (default ", $xdefault, "; book: ",
                "`plt.xlabel`).\n\n",
                "```no_run\nuse dlfs_plot::*;\n\n",
                "let fig = ", $ctor, ".x_label(\"x\").render();\n```"
            )]
            pub fn x_label(mut self, label: impl Into<String>) -> Self {
                self.frame.x_label = Some(label.into());
                self
            }

            #[doc = concat!(
                "Sets the name written beside the y axis (default ", $ydefault, "; book: ",
                "`plt.ylabel`).\n\n",
                "```no_run\nuse dlfs_plot::*;\n\n",
                "let fig = ", $ctor, ".y_label(\"y\").render();\n```"
            )]
            pub fn y_label(mut self, label: impl Into<String>) -> Self {
                self.frame.y_label = Some(label.into());
                self
            }

            #[doc = concat!(
                "Sets the shown x range `min..max` (book: `plt.xlim`). A reversed range is ",
                "put in order; a non-finite one is ignored.\n\n",
                "```no_run\nuse dlfs_plot::*;\n\n",
                "let fig = ", $ctor, ".x_range(-1.0, 1.0).render();\n```"
            )]
            pub fn x_range(mut self, min: f64, max: f64) -> Self {
                self.frame.x_range = Some((min, max));
                self
            }

            #[doc = concat!(
                "Sets the shown y range `min..max` (book: `plt.ylim`); without it the range ",
                "fits the data. A reversed range is put in order; a non-finite one is ",
                "ignored.\n\n",
                "```no_run\nuse dlfs_plot::*;\n\n",
                "let fig = ", $ctor, ".y_range(-1.0, 1.0).render();\n```"
            )]
            pub fn y_range(mut self, min: f64, max: f64) -> Self {
                self.frame.y_range = Some((min, max));
                self
            }
        }
    };
}

pub(crate) use axis_methods;
pub(crate) use title_and_size;
