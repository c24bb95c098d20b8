//! [`NetworkDiagram`]: layers of nodes joined by arrows, the book's structural figures.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axes::Frame;
use crate::builders;
use crate::canvas::{Area, DrawResult};
use crate::chart::Chart;
use crate::theme;

mod draw;
mod geom;
mod labels;
mod layout;
mod notation;

use draw::{fitted, text_at};
use labels::{place_labels, PendingLabel};
use layout::{EdgeKey, Layout, Spec, CAPTION_ROW, TITLE_ROW};
use notation::{book_label, node_name};

/// A layered network drawn from its layer sizes: a column of circles per layer, an arrow
/// from every node of a layer to every node of the next, optional bias nodes "1", weight
/// labels in the book's notation and one signal path highlighted. Book figures 2-1
/// (perceptron), 2-13 (XOR as a two-layer perceptron), 3-1 to 3-3 (a neural network) and
/// 3-17 to 3-20 (the signal passing through a 2-3-2-2 network).
///
/// Every index this type takes is 0-based, as Rust's are: layer 0 is the input layer,
/// node 0 the top node of a layer. The labels it writes follow the book, which counts
/// from 1: [`weight_labels`](NetworkDiagram::weight_labels) names the weight from node 1
/// of layer 0 (the second input) to node 0 of layer 1 **w₁₂⁽¹⁾**: the target's number,
/// then the source's, each plus one, and the target layer in the superscript.
///
/// Layers of up to 5 nodes are drawn in full. A larger layer shows its first three
/// nodes, a vertical ellipsis "⋮" and its last node, and its size is written under it,
/// so `NetworkDiagram::new(&[784, 50, 10])` draws the MNIST network of book 3.6. The
/// nodes behind the ellipsis are not drawn, nor their edges, labels and highlights.
///
/// Edges are straight arrows from left to right; nodes are white circles with a dark
/// outline, bias nodes grey, as in the book. The labels are plain text with Unicode
/// subscripts and superscripts ("w₁₂⁽¹⁾"), which the embedded DejaVu Sans draws; so are
/// labels you write yourself, e.g. `"x₁"` or `"σ()"`. The picture is figure-sized for
/// networks of up to about 4 nodes per layer and 6 layers. Labels on every edge crowd
/// the picture: at 480x320 they stay apart for a 4-4-4 network or a 2-3 layer pair with
/// bias; the 23 labels of the 2-3-2-2 network with bias want `.size(640, 400)`.
///
/// ```
/// use dlfs_plot::{Chart, NetworkDiagram};
///
/// // Book 3.4.2, figure 3-17: the signal from the input layer into a₁⁽¹⁾ (node 0).
/// let fig = NetworkDiagram::new(&[2, 3, 2, 2])
///     .bias(true)
///     .node_labels(0, ["x₁", "x₂"])
///     .highlight_into(1, 0)
///     .only_highlighted(true)
///     .weight_labels(true)
///     .render();
/// assert_eq!((fig.width(), fig.height()), (480, 320));
/// ```
#[derive(Clone, Debug)]
pub struct NetworkDiagram {
    frame: Frame,
    sizes: Vec<usize>,
    layer_names: Vec<String>,
    node_labels: Vec<Vec<String>>,
    bias: bool,
    weight_labels: bool,
    /// Custom edge labels: (source layer, source node or `None` for the bias, target node).
    edge_labels: Vec<(EdgeKey, String)>,
    /// Nodes whose incoming edges are emphasised: (layer, node).
    highlights: Vec<(usize, usize)>,
    only_highlighted: bool,
    activations: Vec<Option<String>>,
}

const OUTLINE: RGBColor = RGBColor(40, 40, 40);
const BIAS_FILL: RGBColor = RGBColor(210, 210, 210);
const EDGE: RGBColor = RGBColor(60, 60, 60);
const EDGE_FADED: RGBColor = RGBColor(190, 190, 190);
const EDGE_HIGHLIGHT: RGBColor = RGBColor(20, 20, 20);

impl NetworkDiagram {
    /// A network with these layer sizes, input layer first: `&[2, 1]` is a perceptron with
    /// two inputs, `&[2, 3, 2, 2]` the network of book 3.4, `&[784, 50, 10]` the one of
    /// 3.6. Nodes are empty circles, no bias nodes, no labels; 480x320 pixels.
    ///
    /// # Panics
    ///
    /// If `sizes` is empty or a layer has size 0; the message names the layer.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// // Book 3.1.1, figure 3-1: input layer, hidden layer, output layer.
    /// let fig = NetworkDiagram::new(&[2, 3, 2])
    ///     .layer_names(["input layer", "hidden layer", "output layer"])
    ///     .render();
    /// assert_eq!(fig.width(), 480);
    /// ```
    pub fn new(sizes: &[usize]) -> Self {
        assert!(
            !sizes.is_empty(),
            "NetworkDiagram::new: no layers; give the layer sizes, input layer first, \
             e.g. &[2, 3, 2]"
        );
        if let Some(l) = sizes.iter().position(|&n| n == 0) {
            panic!(
                "NetworkDiagram::new: layer {l} has size 0 (sizes {sizes:?}); every layer \
                 needs at least one node"
            );
        }
        NetworkDiagram {
            frame: Frame::new((480, 320), None, None),
            sizes: sizes.to_vec(),
            layer_names: Vec::new(),
            node_labels: vec![Vec::new(); sizes.len()],
            bias: false,
            weight_labels: false,
            edge_labels: Vec::new(),
            highlights: Vec::new(),
            only_highlighted: false,
            activations: vec![None; sizes.len()],
        }
    }

    fn check_layer(&self, what: &str, layer: usize) {
        assert!(
            layer < self.sizes.len(),
            "NetworkDiagram::{what}: layer {layer} does not exist; the network has {} layers, \
             0 to {}",
            self.sizes.len(),
            self.sizes.len() - 1
        );
    }

    fn check_node(&self, what: &str, layer: usize, node: usize) {
        self.check_layer(what, layer);
        assert!(
            node < self.sizes[layer],
            "NetworkDiagram::{what}: layer {layer} has {} nodes, so there is no node {node} \
             (nodes count from 0)",
            self.sizes[layer]
        );
    }

    /// Names written under the layers' columns, from the input layer on ("input layer",
    /// "hidden layer", ...); fewer names than layers leave the last layers unnamed.
    ///
    /// # Panics
    ///
    /// If there are more names than layers.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// // Book 2.5.2, figure 2-13: XOR as a two-layer perceptron.
    /// let fig = NetworkDiagram::new(&[2, 2, 1])
    ///     .layer_names(["layer 0", "layer 1", "layer 2"])
    ///     .node_labels(0, ["x₁", "x₂"])
    ///     .node_labels(1, ["s₁", "s₂"])
    ///     .node_labels(2, ["y"])
    ///     .render();
    /// assert_eq!(fig.height(), 320);
    /// ```
    pub fn layer_names(mut self, names: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        assert!(
            names.len() <= self.sizes.len(),
            "NetworkDiagram::layer_names: {} names for {} layers",
            names.len(),
            self.sizes.len()
        );
        self.layer_names = names;
        self
    }

    /// Labels written inside the nodes of `layer`, from the top node on; fewer labels than
    /// nodes leave the last nodes empty. In a layer drawn with an ellipsis only the labels
    /// of the nodes shown appear. In a layer with an [`activation`](NetworkDiagram::activation)
    /// the label names the node's output (the right-hand circle).
    ///
    /// # Panics
    ///
    /// If `layer` does not exist or there are more labels than the layer has nodes.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// let plain = NetworkDiagram::new(&[2, 1]).render();
    /// let named = NetworkDiagram::new(&[2, 1]).node_labels(0, ["x₁", "x₂"]).render();
    /// assert_ne!(plain.png_bytes(), named.png_bytes());
    /// ```
    pub fn node_labels(
        mut self,
        layer: usize,
        labels: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.check_layer("node_labels", layer);
        let labels: Vec<String> = labels.into_iter().map(Into::into).collect();
        assert!(
            labels.len() <= self.sizes[layer],
            "NetworkDiagram::node_labels: {} labels for the {} nodes of layer {layer}",
            labels.len(),
            self.sizes[layer]
        );
        self.node_labels[layer] = labels;
        self
    }

    /// Draws a bias node "1" (shaded grey) atop every layer but the output layer, with an
    /// arrow from it to every node of the next layer (book 2.3.2 and 3.4, figure 3-3).
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// let plain = NetworkDiagram::new(&[2, 3, 2]).render();
    /// let biased = NetworkDiagram::new(&[2, 3, 2]).bias(true).render();
    /// assert_ne!(plain.png_bytes(), biased.png_bytes());
    /// ```
    pub fn bias(mut self, bias: bool) -> Self {
        self.bias = bias;
        self
    }

    /// Labels the edges in the book's notation (book 3.4.1): **w₁₂⁽¹⁾** on the edge into
    /// node 0 of layer 1 from node 1 of layer 0 (the book counts from 1, the API from 0),
    /// **b₁⁽¹⁾** on the edge from the bias node of layer 0 into node 0 of layer 1.
    ///
    /// With a [`highlight_into`](NetworkDiagram::highlight_into) only the highlighted edges
    /// are labelled, as in the book's figures. Each label sits beside its edge near the
    /// arrowhead, moved along the edge where it would cover another label or a node.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// let plain = NetworkDiagram::new(&[2, 1]).render();
    /// let labelled = NetworkDiagram::new(&[2, 1]).weight_labels(true).render();
    /// assert_ne!(plain.png_bytes(), labelled.png_bytes());
    /// ```
    pub fn weight_labels(mut self, on: bool) -> Self {
        self.weight_labels = on;
        self
    }

    /// A label of your own for the edge from node `from` of `layer` to node `to` of
    /// `layer + 1` (0-based), e.g. the w₁, w₂ of the perceptron in figure 2-1. It replaces
    /// the [`weight_labels`](NetworkDiagram::weight_labels) one and shows also on an edge
    /// that is not highlighted.
    ///
    /// # Panics
    ///
    /// If `layer` is the output layer or does not exist, or a node does not exist.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// // Book 2.1, figure 2-1: a perceptron with two inputs.
    /// let fig = NetworkDiagram::new(&[2, 1])
    ///     .node_labels(0, ["x₁", "x₂"])
    ///     .node_labels(1, ["y"])
    ///     .edge_label(0, 0, 0, "w₁")
    ///     .edge_label(0, 1, 0, "w₂")
    ///     .render();
    /// assert_eq!(fig.width(), 480);
    /// ```
    pub fn edge_label(
        mut self,
        layer: usize,
        from: usize,
        to: usize,
        label: impl Into<String>,
    ) -> Self {
        self.check_edge("edge_label", layer, to);
        self.check_node("edge_label", layer, from);
        self.set_edge_label(
            EdgeKey {
                layer,
                from: Some(from),
                to,
            },
            label.into(),
        );
        self
    }

    /// A label of your own for the edge from the bias node of `layer` to node `to` of
    /// `layer + 1` (0-based), e.g. "b"; needs [`bias`](NetworkDiagram::bias).
    ///
    /// # Panics
    ///
    /// If `layer` is the output layer or does not exist, or node `to` does not exist.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// // Book 3.1.2, figure 3-3: the perceptron with its bias shown as a node.
    /// let fig = NetworkDiagram::new(&[2, 1])
    ///     .bias(true)
    ///     .node_labels(0, ["x₁", "x₂"])
    ///     .node_labels(1, ["y"])
    ///     .bias_label(0, 0, "b")
    ///     .edge_label(0, 0, 0, "w₁")
    ///     .edge_label(0, 1, 0, "w₂")
    ///     .render();
    /// assert_eq!(fig.height(), 320);
    /// ```
    pub fn bias_label(mut self, layer: usize, to: usize, label: impl Into<String>) -> Self {
        self.check_edge("bias_label", layer, to);
        self.set_edge_label(
            EdgeKey {
                layer,
                from: None,
                to,
            },
            label.into(),
        );
        self
    }

    fn check_edge(&self, what: &str, layer: usize, to: usize) {
        self.check_layer(what, layer);
        assert!(
            layer + 1 < self.sizes.len(),
            "NetworkDiagram::{what}: layer {layer} is the output layer; edges go from \
             layer `layer` to layer `layer + 1`"
        );
        self.check_node(what, layer + 1, to);
    }

    fn set_edge_label(&mut self, key: EdgeKey, label: String) {
        self.edge_labels.retain(|(k, _)| *k != key);
        self.edge_labels.push((key, label));
    }

    /// Emphasises the edges into node `node` of `layer` (its weights and bias: the signal
    /// path of figures 3-17 to 3-20) and draws the other edges light grey. Call it again
    /// to highlight the edges into more nodes.
    ///
    /// # Panics
    ///
    /// If `layer` is 0 (no edges go into the input layer) or does not exist, or the node
    /// does not exist.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// let plain = NetworkDiagram::new(&[2, 3]).render();
    /// let path = NetworkDiagram::new(&[2, 3]).highlight_into(1, 0).render();
    /// assert_ne!(plain.png_bytes(), path.png_bytes());
    /// ```
    pub fn highlight_into(mut self, layer: usize, node: usize) -> Self {
        self.check_node("highlight_into", layer, node);
        assert!(
            layer > 0,
            "NetworkDiagram::highlight_into: no edges go into layer 0, the input layer"
        );
        if !self.highlights.contains(&(layer, node)) {
            self.highlights.push((layer, node));
        }
        self
    }

    /// Draws only the highlighted edges (figure 3-17 leaves the others out); without a
    /// [`highlight_into`](NetworkDiagram::highlight_into) this draws no edges at all.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// let grey = NetworkDiagram::new(&[2, 3]).highlight_into(1, 0).render();
    /// let only = NetworkDiagram::new(&[2, 3]).highlight_into(1, 0).only_highlighted(true);
    /// assert_ne!(grey.png_bytes(), only.render().png_bytes());
    /// ```
    pub fn only_highlighted(mut self, only: bool) -> Self {
        self.only_highlighted = only;
        self
    }

    /// Draws each node of `layer` split in two, as in figures 3-4 and 3-18: the weighted
    /// sum **a** flows through the activation function (`name`, e.g. "h()" or "σ()") into
    /// the output **z** (or the node's label, if [`node_labels`](NetworkDiagram::node_labels)
    /// gives one, e.g. "y₁"). The a and z are written in the book's notation, a₁⁽¹⁾ for
    /// node 0 of layer 1.
    ///
    /// # Panics
    ///
    /// If `layer` is 0 (the input layer applies no activation) or does not exist.
    ///
    /// ```
    /// use dlfs_plot::{Chart, NetworkDiagram};
    ///
    /// // Book 3.4.2, figure 3-18: a₁⁽¹⁾ -> h() -> z₁⁽¹⁾.
    /// let fig = NetworkDiagram::new(&[2, 3, 2, 2])
    ///     .bias(true)
    ///     .node_labels(0, ["x₁", "x₂"])
    ///     .activation(1, "h()")
    ///     .highlight_into(1, 0)
    ///     .only_highlighted(true)
    ///     .weight_labels(true)
    ///     .render();
    /// assert_eq!(fig.width(), 480);
    /// ```
    pub fn activation(mut self, layer: usize, name: impl Into<String>) -> Self {
        self.check_layer("activation", layer);
        assert!(
            layer > 0,
            "NetworkDiagram::activation: layer 0 is the input layer, it applies no activation"
        );
        self.activations[layer] = Some(name.into());
        self
    }

    /// The label an edge gets, if any.
    fn label_of(&self, key: EdgeKey) -> Option<String> {
        if let Some((_, l)) = self.edge_labels.iter().find(|(k, _)| *k == key) {
            return Some(l.clone());
        }
        let shown = self.highlights.is_empty() || layout::highlighted(&self.highlights, key);
        (self.weight_labels && shown).then(|| book_label(key))
    }
}

builders::title_and_size!(NetworkDiagram, "NetworkDiagram::new(&[2, 3, 2])", "480x320");

impl NetworkDiagram {
    fn truncated(&self, layer: usize) -> bool {
        layout::truncated(self.sizes[layer])
    }

    fn caption_lines(&self) -> usize {
        let named = !self.layer_names.is_empty();
        let sized = (0..self.sizes.len()).any(|l| self.truncated(l));
        usize::from(named) + usize::from(sized)
    }

    /// Places nodes and edges in an area of `w` x `h` pixels, with `pads` the room the
    /// captions under the first and the last column need on either side of its centre.
    fn layout(&self, w: f64, h: f64, pads: (f64, f64)) -> Layout {
        Spec {
            sizes: &self.sizes,
            bias: self.bias,
            split: self.activations.iter().map(Option::is_some).collect(),
            highlights: &self.highlights,
            only_highlighted: self.only_highlighted,
            titled: self.frame.title.is_some(),
            caption_lines: self.caption_lines(),
        }
        .layout(w, h, pads)
    }

    /// The lines written under a layer's column: its size if an ellipsis stands for its
    /// nodes, then its name. `None` keeps a line empty so that rows line up.
    fn captions(&self, layer: usize) -> Vec<Option<String>> {
        let mut lines = Vec::new();
        if (0..self.sizes.len()).any(|l| self.truncated(l)) {
            lines.push(
                self.truncated(layer)
                    .then(|| format!("{} nodes", self.sizes[layer])),
            );
        }
        if !self.layer_names.is_empty() {
            lines.push(self.layer_names.get(layer).cloned());
        }
        lines
    }
}

const CAPTION_SIZE: f64 = 14.0;

impl Chart for NetworkDiagram {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let (w, h) = area.dim_in_pixel();
        let caption_font = theme::font(CAPTION_SIZE);
        let mut pads = [0.0f64; 2];
        for (pad, layer) in pads.iter_mut().zip([0, self.sizes.len() - 1]) {
            for line in self.captions(layer).into_iter().flatten() {
                let (tw, _) = area.estimate_text_size(&line, &caption_font)?;
                *pad = pad.max(f64::from(tw) / 2.0);
            }
        }
        let layout = self.layout(f64::from(w), f64::from(h), (pads[0], pads[1]));
        let r = layout.r;
        let any_highlight = !self.highlights.is_empty();

        // Edges: plain ones first, so that the highlighted path lies on top.
        for e in layout.edges.iter().filter(|e| !e.highlighted) {
            let color = if any_highlight { EDGE_FADED } else { EDGE };
            draw::arrow(area, e.from, e.tip, 1.2, color)?;
        }
        for e in layout.edges.iter().filter(|e| e.highlighted) {
            draw::arrow(area, e.from, e.tip, 2.0, EDGE_HIGHLIGHT)?;
        }

        // Nodes, and their labels fitted inside.
        let node_size = (r * 0.85).clamp(8.0, 19.0);
        let outline = (r / 14.0).clamp(1.0, 1.8);
        for n in &layout.nodes {
            let Some(i) = n.index else {
                draw::circle(area, n.center, r, outline, BIAS_FILL, OUTLINE)?;
                text_at(area, "1", theme::font(node_size), n.center)?;
                continue;
            };
            let label = self.node_labels[n.layer].get(i);
            match &self.activations[n.layer] {
                None => {
                    draw::circle(area, n.center, r, outline, WHITE, OUTLINE)?;
                    if let Some(l) = label {
                        let font = fitted(area, l, node_size, 1.7 * r)?;
                        text_at(area, l, font, n.center)?;
                    }
                }
                Some(act) => {
                    draw::ellipse(area, n.center, n.half, outline, WHITE, OUTLINE)?;
                    let (ac, zc, ar) = n.inner(r);
                    for c in [ac, zc] {
                        draw::circle(area, c, ar, outline * 0.8, WHITE, OUTLINE)?;
                    }
                    let a = node_name('a', n.layer, i);
                    let z = label.cloned().unwrap_or_else(|| node_name('z', n.layer, i));
                    let inner = (ar * 0.8).clamp(7.0, 16.0);
                    text_at(area, &a, fitted(area, &a, inner, 1.75 * ar)?, ac)?;
                    text_at(area, &z, fitted(area, &z, inner, 1.75 * ar)?, zc)?;
                    let (x0, x1) = (ac.0 + ar + 1.0, zc.0 - ar - 1.5);
                    draw::arrow(area, (x0, ac.1), (x1, zc.1), 1.1, EDGE_HIGHLIGHT)?;
                    let act_font = fitted(area, act, (r * 0.6).clamp(7.0, 14.0), 2.6 * r)?
                        .pos(Pos::new(HPos::Center, VPos::Bottom));
                    let at = ((x0 + x1) / 2.0, n.center.1 - r * 0.2);
                    area.draw(&Text::new(
                        act.clone(),
                        (at.0.round() as i32, at.1.round() as i32),
                        act_font,
                    ))?;
                }
            }
        }
        for &(x, y) in &layout.ellipses {
            let dot = (r * 0.1).clamp(1.2, 2.6);
            for k in [-1.0, 0.0, 1.0] {
                draw::disc(area, (x, y + k * r * 0.45), dot, OUTLINE)?;
            }
        }

        // Edge labels, each on a white box so that edges passing under it do not hide it.
        let label_font = theme::font((r * 0.68).clamp(9.0, 17.0));
        let mut pending = Vec::new();
        for e in &layout.edges {
            if let Some(text) = self.label_of(e.key) {
                let (tw, th) = area.estimate_text_size(&text, &label_font)?;
                pending.push(PendingLabel {
                    text,
                    size: (f64::from(tw) + 4.0, f64::from(th) + 2.0),
                    from: e.from,
                    tip: e.tip,
                });
            }
        }
        let centres = place_labels(&pending, &layout, (f64::from(w), f64::from(h)));
        for (label, c) in pending.iter().zip(centres) {
            let (lw, lh) = label.size;
            let rect = [
                (
                    (c.0 - lw / 2.0).round() as i32,
                    (c.1 - lh / 2.0).round() as i32,
                ),
                (
                    (c.0 + lw / 2.0).round() as i32,
                    (c.1 + lh / 2.0).round() as i32,
                ),
            ];
            area.draw(&Rectangle::new(rect, WHITE.mix(0.9).filled()))?;
            text_at(area, &label.text, label_font.clone(), c)?;
        }

        // Captions under the columns, then the title.
        for (l, &x) in layout.columns.iter().enumerate() {
            for (k, line) in self.captions(l).into_iter().enumerate() {
                if let Some(line) = line {
                    let y = layout.caption_top + (k as f64 + 0.5) * CAPTION_ROW;
                    text_at(area, &line, caption_font.clone(), (x, y))?;
                }
            }
        }
        if let Some(t) = &self.frame.title {
            let at = (f64::from(w) / 2.0, TITLE_ROW / 2.0);
            text_at(area, t, theme::font(theme::TITLE_SIZE), at)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
