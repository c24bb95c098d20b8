//! Where everything goes: node centres and sizes, edges from rim to rim, the ellipsis of
//! a large layer, the rows of title and captions.

use super::geom::unit;

/// An edge: from node `from` (`None`: the bias node) of layer `layer` to node `to` of
/// layer `layer + 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EdgeKey {
    pub layer: usize,
    pub from: Option<usize>,
    pub to: usize,
}

/// Layers of up to this many nodes are drawn in full.
const MAX_FULL: usize = 5;
/// A larger layer shows this many nodes from the top, then the ellipsis and the last.
const SHOWN_HEAD: usize = 3;

/// What is drawn, where: pixel coordinates (fractional) inside the chart's area.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgeLine>,
    /// Centres of the vertical ellipses, one per layer drawn with one.
    pub ellipses: Vec<(f64, f64)>,
    /// Node radius.
    pub r: f64,
    /// Centre x of each layer's column.
    pub columns: Vec<f64>,
    /// Where the captions under the columns start (y).
    pub caption_top: f64,
    pub title_height: f64,
}

#[derive(Clone, Debug)]
pub(crate) struct NodeBox {
    pub layer: usize,
    /// `None` for the bias node.
    pub index: Option<usize>,
    pub center: (f64, f64),
    /// Half width and half height: `r` for a plain node (a circle), more for a split one
    /// (an ellipse).
    pub half: (f64, f64),
}

impl NodeBox {
    /// How far the outline lies from the centre in the direction `(ux, uy)` (a unit vector).
    fn reach(&self, (ux, uy): (f64, f64)) -> f64 {
        1.0 / ((ux / self.half.0).powi(2) + (uy / self.half.1).powi(2)).sqrt()
    }

    /// The a and z circles inside a split node of radius `r`: their centres and radius.
    pub(super) fn inner(&self, r: f64) -> ((f64, f64), (f64, f64), f64) {
        let off = r * (SPLIT_HALF.0 - SPLIT_INNER - 0.32);
        let (x, y) = self.center;
        ((x - off, y), (x + off, y), r * SPLIT_INNER)
    }
}

#[derive(Clone, Debug)]
pub(crate) struct EdgeLine {
    pub key: EdgeKey,
    /// Start (at the source's rim) and arrow tip (at the target's rim).
    pub from: (f64, f64),
    pub tip: (f64, f64),
    pub highlighted: bool,
}

/// The nodes of a layer of size `n` that are drawn, top to bottom, with `None` for the
/// ellipsis' slot.
fn shown_nodes(n: usize) -> Vec<Option<usize>> {
    if n <= MAX_FULL {
        (0..n).map(Some).collect()
    } else {
        let mut v: Vec<Option<usize>> = (0..SHOWN_HEAD).map(Some).collect();
        v.push(None);
        v.push(Some(n - 1));
        v
    }
}

/// A split node is this much wider and taller than a plain one (half sizes in units of
/// the radius).
pub(super) const SPLIT_HALF: (f64, f64) = (2.6, 1.3);
/// Radius of the a and z circles inside a split node, in units of the radius.
pub(super) const SPLIT_INNER: f64 = 0.86;
pub(super) const CAPTION_ROW: f64 = 19.0;
/// Largest node radius and spacing, so that small networks do not spread over the picture.
const MAX_RADIUS: f64 = 26.0;
const MAX_SPACING: f64 = 100.0;
pub(super) const TITLE_ROW: f64 = 28.0;

/// What the layout needs to know of a diagram.
pub(super) struct Spec<'a> {
    pub sizes: &'a [usize],
    pub bias: bool,
    /// Per layer, whether its nodes are split in two by an activation.
    pub split: Vec<bool>,
    pub highlights: &'a [(usize, usize)],
    pub only_highlighted: bool,
    pub titled: bool,
    /// Rows of captions under the columns.
    pub caption_lines: usize,
}

/// Whether a layer of `n` nodes is drawn with an ellipsis.
pub(super) fn truncated(n: usize) -> bool {
    n > MAX_FULL
}

/// Whether `key` leads into one of the `highlights` nodes.
pub(super) fn highlighted(highlights: &[(usize, usize)], key: EdgeKey) -> bool {
    highlights.contains(&(key.layer + 1, key.to))
}

impl Spec<'_> {
    fn has_bias(&self, layer: usize) -> bool {
        self.bias && layer + 1 < self.sizes.len()
    }

    /// Places nodes and edges in an area of `w` x `h` pixels.
    ///
    /// `pads` are the room the captions under the first and the last column need on
    /// either side of the column's centre.
    pub(super) fn layout(&self, w: f64, h: f64, pads: (f64, f64)) -> Layout {
        let layers = self.sizes.len();
        let title_height = if self.titled { TITLE_ROW } else { 6.0 };
        let caption_height = self.caption_lines as f64 * CAPTION_ROW;
        let (top, bottom) = (title_height, h - caption_height - 4.0);
        // Vertical extent in units of the node spacing: plain nodes are centred on one
        // line across layers, a bias node sits one step above its layer's top node.
        let slots: Vec<usize> = self.sizes.iter().map(|&n| shown_nodes(n).len()).collect();
        let half_span = |l: usize| (slots[l] as f64 - 1.0) / 2.0;
        let up = (0..layers)
            .map(|l| half_span(l) + f64::from(u8::from(self.has_bias(l))))
            .fold(0.0, f64::max);
        let down = (0..layers).map(half_span).fold(0.0, f64::max);
        let split = |l: usize| self.split[l];
        let any_split = (0..layers).any(split);
        // One node height (in spacings) of room beyond the outer centres.
        let extra = if any_split { SPLIT_HALF.1 * 0.9 } else { 0.9 };
        let dy = ((bottom - top) / (up + down + extra)).clamp(1.0, MAX_SPACING);
        let half_w = |l: usize| if split(l) { SPLIT_HALF.0 } else { 1.0 };
        // Radius from the vertical spacing and from the columns' spacing.
        let gaps = (layers - 1).max(1) as f64;
        let r_by_y = if any_split {
            dy * 0.42 / SPLIT_HALF.1
        } else {
            dy * 0.34
        };
        let spread = 3.2 * if any_split { 1.5 } else { 1.0 };
        let width_units: f64 = half_w(0) + half_w(layers - 1) + gaps * spread;
        let r = r_by_y.min((w - 24.0) / width_units).clamp(2.0, MAX_RADIUS);
        // The captions under the outer columns must fit too; that may shrink the nodes.
        let left = (12.0 + half_w(0) * r).max(pads.0 + 2.0);
        let right = (w - 12.0 - half_w(layers - 1) * r).min(w - pads.1 - 2.0);
        let r = if layers > 1 {
            r.min((right - left) / (gaps * spread)).max(2.0)
        } else {
            r
        };
        let columns: Vec<f64> = (0..layers)
            .map(|l| {
                if layers == 1 {
                    w / 2.0
                } else {
                    left + (right - left) * l as f64 / gaps
                }
            })
            .collect();
        // Centred in the room between title and captions (the spacing may be capped).
        // Nodes and captions together centred between the title and the bottom.
        let spare = ((bottom - top) - (up + down + extra) * dy).max(0.0);
        let centre_y = top + spare / 2.0 + extra / 2.0 * dy + up * dy;
        let caption_top = if caption_height > 0.0 {
            bottom - spare / 2.0
        } else {
            h
        };

        let mut nodes = Vec::new();
        let mut ellipses = Vec::new();
        for (l, &x) in columns.iter().enumerate() {
            let first_y = centre_y - half_span(l) * dy;
            if self.has_bias(l) {
                nodes.push(plain_node(l, None, (x, first_y - dy), r));
            }
            for (k, slot) in shown_nodes(self.sizes[l]).into_iter().enumerate() {
                let y = first_y + k as f64 * dy;
                match slot {
                    None => ellipses.push((x, y)),
                    Some(i) if split(l) => nodes.push(NodeBox {
                        layer: l,
                        index: Some(i),
                        center: (x, y),
                        half: (SPLIT_HALF.0 * r, SPLIT_HALF.1 * r),
                    }),
                    Some(i) => nodes.push(plain_node(l, Some(i), (x, y), r)),
                }
            }
        }

        let mut edges = Vec::new();
        for l in 0..layers.saturating_sub(1) {
            let sources: Vec<&NodeBox> = nodes.iter().filter(|n| n.layer == l).collect();
            let targets: Vec<&NodeBox> = nodes
                .iter()
                .filter(|n| n.layer == l + 1 && n.index.is_some())
                .collect();
            for s in &sources {
                for t in &targets {
                    let key = EdgeKey {
                        layer: l,
                        from: s.index,
                        to: t.index.unwrap_or(0),
                    };
                    let highlighted = highlighted(self.highlights, key);
                    if self.only_highlighted && !highlighted {
                        continue;
                    }
                    let (a, b) = (s.center, t.center);
                    let u = unit((b.0 - a.0, b.1 - a.1));
                    let (ra, rb) = (s.reach(u) + 1.0, t.reach(u) + 1.5);
                    edges.push(EdgeLine {
                        key,
                        from: (a.0 + u.0 * ra, a.1 + u.1 * ra),
                        tip: (b.0 - u.0 * rb, b.1 - u.1 * rb),
                        highlighted,
                    });
                }
            }
        }
        Layout {
            nodes,
            edges,
            ellipses,
            r,
            columns,
            caption_top,
            title_height,
        }
    }
}

fn plain_node(layer: usize, index: Option<usize>, center: (f64, f64), r: f64) -> NodeBox {
    NodeBox {
        layer,
        index,
        center,
        half: (r, r),
    }
}
