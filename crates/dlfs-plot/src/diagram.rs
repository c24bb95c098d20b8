//! [`NetworkDiagram`]: layers of nodes joined by arrows, the book's structural figures.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::axes::Frame;
use crate::canvas::{Area, DrawError, DrawResult};
use crate::chart::Chart;
use crate::theme as style;

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

/// An edge: from node `from` (`None`: the bias node) of layer `layer` to node `to` of
/// layer `layer + 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct EdgeKey {
    layer: usize,
    from: Option<usize>,
    to: usize,
}

/// Layers of up to this many nodes are drawn in full.
const MAX_FULL: usize = 5;
/// A larger layer shows this many nodes from the top, then the ellipsis and the last.
const SHOWN_HEAD: usize = 3;

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

    fn has_bias(&self, layer: usize) -> bool {
        self.bias && layer + 1 < self.sizes.len()
    }

    fn highlighted(&self, key: EdgeKey) -> bool {
        self.highlights.contains(&(key.layer + 1, key.to))
    }

    /// The label an edge gets, if any.
    fn label_of(&self, key: EdgeKey) -> Option<String> {
        if let Some((_, l)) = self.edge_labels.iter().find(|(k, _)| *k == key) {
            return Some(l.clone());
        }
        let shown = self.highlights.is_empty() || self.highlighted(key);
        (self.weight_labels && shown).then(|| book_label(key))
    }
}

crate::builders::title_and_size!(NetworkDiagram, "NetworkDiagram::new(&[2, 3, 2])", "480x320");

/// `n` in subscript digits.
fn subscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(0x2080 + c.to_digit(10).unwrap_or(0)).unwrap_or(c))
        .collect()
}

/// `n` in superscript digits (¹²³ live in Latin-1, the others at U+2070).
fn superscript(n: usize) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            c => char::from_u32(0x2070 + c.to_digit(10).unwrap_or(0)).unwrap_or(c),
        })
        .collect()
}

/// The book's name of an edge's weight: w₁₂⁽¹⁾, b₁⁽¹⁾ (1-based nodes, target layer).
fn book_label(key: EdgeKey) -> String {
    let layer = format!("⁽{}⁾", superscript(key.layer + 1));
    match key.from {
        None => format!("b{}{layer}", subscript(key.to + 1)),
        Some(from) => {
            // Two-digit numbers would run together: w₁₀,₇₈₄ rather than w₁₀₇₈₄.
            let sep = if key.to >= 9 || from >= 9 { "," } else { "" };
            format!(
                "w{}{sep}{}{layer}",
                subscript(key.to + 1),
                subscript(from + 1)
            )
        }
    }
}

/// The book's name of a node's weighted sum or output: a₁⁽¹⁾, z₁⁽¹⁾.
fn node_name(letter: char, layer: usize, node: usize) -> String {
    format!("{letter}{}⁽{}⁾", subscript(node + 1), superscript(layer))
}

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
    fn inner(&self, r: f64) -> ((f64, f64), (f64, f64), f64) {
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
const SPLIT_HALF: (f64, f64) = (2.6, 1.3);
/// Radius of the a and z circles inside a split node, in units of the radius.
const SPLIT_INNER: f64 = 0.86;
const CAPTION_ROW: f64 = 19.0;
/// Largest node radius and spacing, so that small networks do not spread over the picture.
const MAX_RADIUS: f64 = 26.0;
const MAX_SPACING: f64 = 100.0;
const TITLE_ROW: f64 = 28.0;

impl NetworkDiagram {
    fn truncated(&self, layer: usize) -> bool {
        self.sizes[layer] > MAX_FULL
    }

    fn caption_lines(&self) -> usize {
        let named = !self.layer_names.is_empty();
        let sized = (0..self.sizes.len()).any(|l| self.truncated(l));
        usize::from(named) + usize::from(sized)
    }

    /// Places nodes and edges in an area of `w` x `h` pixels.
    ///
    /// `pads` are the room the captions under the first and the last column need on
    /// either side of the column's centre.
    pub(crate) fn layout(&self, w: f64, h: f64, pads: (f64, f64)) -> Layout {
        let layers = self.sizes.len();
        let title_height = if self.frame.title.is_some() {
            TITLE_ROW
        } else {
            6.0
        };
        let caption_height = self.caption_lines() as f64 * CAPTION_ROW;
        let (top, bottom) = (title_height, h - caption_height - 4.0);
        // Vertical extent in units of the node spacing: plain nodes are centred on one
        // line across layers, a bias node sits one step above its layer's top node.
        let slots: Vec<usize> = self.sizes.iter().map(|&n| shown_nodes(n).len()).collect();
        let half_span = |l: usize| (slots[l] as f64 - 1.0) / 2.0;
        let up = (0..layers)
            .map(|l| half_span(l) + f64::from(u8::from(self.has_bias(l))))
            .fold(0.0, f64::max);
        let down = (0..layers).map(half_span).fold(0.0, f64::max);
        let split = |l: usize| self.activations[l].is_some();
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
                    let highlighted = self.highlighted(key);
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

fn unit((x, y): (f64, f64)) -> (f64, f64) {
    let len = x.hypot(y).max(1e-9);
    (x / len, y / len)
}

fn clamp01(v: f64) -> f64 {
    v.clamp(0.0, 1.0)
}

/// Anti-aliased shapes drawn pixel by pixel into the chart's area: each pixel gets the
/// shape's colour with the fraction of the pixel the shape covers as alpha.
struct Pen<'a, 'b> {
    area: &'a Area<'b>,
    w: i32,
    h: i32,
}

impl Pen<'_, '_> {
    /// Paints `color` over the pixels of the box `(x0, y0, x1, y1)` with the coverage
    /// `f(x, y)` gives at each pixel centre.
    fn cover(
        &self,
        bbox: (f64, f64, f64, f64),
        color: RGBColor,
        f: impl Fn(f64, f64) -> f64,
    ) -> DrawResult {
        self.cover_rows(bbox, |_| (bbox.0, bbox.2), color, f)
    }

    /// [`cover`](Pen::cover) visiting in each row only the columns `row(y)` gives (a
    /// long diagonal line touches few pixels of its bounding box).
    fn cover_rows(
        &self,
        (_, y0, _, y1): (f64, f64, f64, f64),
        row: impl Fn(f64) -> (f64, f64),
        color: RGBColor,
        f: impl Fn(f64, f64) -> f64,
    ) -> DrawResult {
        let ya = (y0.floor() as i32 - 1).max(0);
        let yb = (y1.ceil() as i32 + 1).min(self.h - 1);
        for y in ya..=yb {
            let cy = f64::from(y) + 0.5;
            let (x0, x1) = row(cy);
            let xa = (x0.floor() as i32 - 1).max(0);
            let xb = (x1.ceil() as i32 + 1).min(self.w - 1);
            for x in xa..=xb {
                let c = f(f64::from(x) + 0.5, cy);
                if c >= 1.0 {
                    self.area.draw_pixel((x, y), &color)?;
                } else if c > 0.01 {
                    self.area.draw_pixel((x, y), &color.mix(c))?;
                }
            }
        }
        Ok(())
    }

    fn disk(&self, c: (f64, f64), r: f64, color: RGBColor) -> DrawResult {
        let bbox = (c.0 - r, c.1 - r, c.0 + r, c.1 + r);
        self.cover(bbox, color, |x, y| {
            clamp01(r + 0.5 - (x - c.0).hypot(y - c.1))
        })
    }

    fn ring(&self, c: (f64, f64), r: f64, width: f64, color: RGBColor) -> DrawResult {
        let o = r + width;
        let bbox = (c.0 - o, c.1 - o, c.0 + o, c.1 + o);
        self.cover(bbox, color, |x, y| {
            clamp01(width / 2.0 + 0.5 - ((x - c.0).hypot(y - c.1) - r).abs())
        })
    }

    /// Distance-based ellipse: `fill` inside, then an outline of `width`.
    fn ellipse(
        &self,
        c: (f64, f64),
        (rx, ry): (f64, f64),
        width: f64,
        fill: RGBColor,
        line: RGBColor,
    ) -> DrawResult {
        // Signed distance to the ellipse, to first order: F / |grad F|.
        let dist = move |x: f64, y: f64| {
            let (dx, dy) = (x - c.0, y - c.1);
            let f = (dx / rx).powi(2) + (dy / ry).powi(2) - 1.0;
            let g = (2.0 * dx / (rx * rx)).hypot(2.0 * dy / (ry * ry)).max(1e-9);
            f / g
        };
        let bbox = (
            c.0 - rx - width,
            c.1 - ry - width,
            c.0 + rx + width,
            c.1 + ry + width,
        );
        self.cover(bbox, fill, |x, y| clamp01(0.5 - dist(x, y)))?;
        self.cover(bbox, line, |x, y| {
            clamp01(width / 2.0 + 0.5 - dist(x, y).abs())
        })
    }

    fn segment(&self, a: (f64, f64), b: (f64, f64), width: f64, color: RGBColor) -> DrawResult {
        let o = width + 1.0;
        let bbox = (
            a.0.min(b.0) - o,
            a.1.min(b.1) - o,
            a.0.max(b.0) + o,
            a.1.max(b.1) + o,
        );
        let (vx, vy) = (b.0 - a.0, b.1 - a.1);
        let len = vx.hypot(vy);
        // Within distance `o` of the line: a band `o * len / |vy|` wide in each row.
        let row = |y: f64| {
            if vy.abs() * 4.0 < len {
                (bbox.0, bbox.2)
            } else {
                let x = a.0 + (y - a.1) * vx / vy;
                let half = o * len / vy.abs();
                ((x - half).max(bbox.0), (x + half).min(bbox.2))
            }
        };
        self.cover_rows(bbox, row, color, |x, y| {
            clamp01(width / 2.0 + 0.5 - seg_dist((x, y), a, b))
        })
    }

    /// A filled convex polygon, corners in clockwise screen order.
    fn convex(&self, pts: &[(f64, f64)], color: RGBColor) -> DrawResult {
        let xs = pts.iter().map(|p| p.0);
        let ys = pts.iter().map(|p| p.1);
        let bbox = (
            xs.clone().fold(f64::INFINITY, f64::min),
            ys.clone().fold(f64::INFINITY, f64::min),
            xs.fold(f64::NEG_INFINITY, f64::max),
            ys.fold(f64::NEG_INFINITY, f64::max),
        );
        self.cover(bbox, color, |x, y| {
            let mut d = f64::NEG_INFINITY;
            for k in 0..pts.len() {
                let (p, q) = (pts[k], pts[(k + 1) % pts.len()]);
                let (ex, ey) = unit((q.0 - p.0, q.1 - p.1));
                // Outward normal of a clockwise (on screen) polygon.
                let (nx, ny) = (ey, -ex);
                d = d.max((x - p.0) * nx + (y - p.1) * ny);
            }
            clamp01(0.5 - d)
        })
    }

    /// A straight arrow from `a` with its tip at `tip`.
    fn arrow(&self, a: (f64, f64), tip: (f64, f64), width: f64, color: RGBColor) -> DrawResult {
        let (ux, uy) = unit((tip.0 - a.0, tip.1 - a.1));
        let len = (tip.0 - a.0).hypot(tip.1 - a.1);
        let head = (5.0 + 2.0 * width).min(len * 0.5);
        let half = head * 0.42;
        let base = (tip.0 - ux * head, tip.1 - uy * head);
        let neck = (tip.0 - ux * head * 0.6, tip.1 - uy * head * 0.6);
        self.segment(a, neck, width, color)?;
        // (ux, uy) rotated by +90 degrees on screen is (-uy, ux).
        let p1 = (base.0 - uy * half, base.1 + ux * half);
        let p2 = (base.0 + uy * half, base.1 - ux * half);
        self.convex(&[tip, p1, p2], color)
    }
}

/// A weight label waiting for its place.
struct PendingLabel {
    text: String,
    size: (f64, f64),
    from: (f64, f64),
    tip: (f64, f64),
}

/// Chooses a centre for each label near the arrowhead of its edge: beside the edge, on
/// the outside of the fan of edges that meet at the target, or on the edge itself (over
/// a white box) where beside it another edge would lie as close. Moves it along the edge
/// where it would cover another label or a node or leave the picture.
fn place_labels(labels: &[PendingLabel], layout: &Layout, (w, h): (f64, f64)) -> Vec<(f64, f64)> {
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    let mut centres = Vec::new();
    let overlap = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
        let x = (a.2.min(b.2) - a.0.max(b.0)).max(0.0);
        let y = (a.3.min(b.3) - a.1.max(b.1)).max(0.0);
        x * y
    };
    for label in labels {
        let (lw, lh) = label.size;
        let (ux, uy) = unit((label.tip.0 - label.from.0, label.tip.1 - label.from.1));
        let len = (label.tip.0 - label.from.0).hypot(label.tip.1 - label.from.1);
        // Above an edge that goes down (or level), below one that goes up.
        let first_side = if uy < -0.05 { -1.0 } else { 1.0 };
        // Only what lies near the edge can touch its label's candidate spots.
        let reach = lw + lh + 20.0;
        let region = (
            label.from.0.min(label.tip.0) - reach,
            label.from.1.min(label.tip.1) - reach,
            label.from.0.max(label.tip.0) + reach,
            label.from.1.max(label.tip.1) + reach,
        );
        let near = |b: (f64, f64, f64, f64)| {
            b.0 <= region.2 && b.2 >= region.0 && b.1 <= region.3 && b.3 >= region.1
        };
        let near_placed: Vec<_> = placed.iter().copied().filter(|b| near(*b)).collect();
        let near_nodes: Vec<_> = layout
            .nodes
            .iter()
            .map(|n| {
                (
                    n.center.0 - n.half.0 - 1.0,
                    n.center.1 - n.half.1 - 1.0,
                    n.center.0 + n.half.0 + 1.0,
                    n.center.1 + n.half.1 + 1.0,
                )
            })
            .filter(|b| near(*b))
            .collect();
        let near_edges: Vec<&EdgeLine> = layout
            .edges
            .iter()
            .filter(|e| !(e.from == label.from && e.tip == label.tip))
            .filter(|e| {
                near((
                    e.from.0.min(e.tip.0),
                    e.from.1.min(e.tip.1),
                    e.from.0.max(e.tip.0),
                    e.from.1.max(e.tip.1),
                ))
            })
            .collect();
        let mut best = (f64::INFINITY, (0.0, 0.0));
        let fractions = [
            0.7, 0.65, 0.75, 0.6, 0.8, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2,
        ];
        // (side, extra distance from the line, cost of the choice)
        let sides = [
            (first_side, 0.0, 0.0),
            (0.0, 0.0, 5.0),
            (-first_side, 0.0, 8.0),
            (first_side, 0.6 * lh, 9.0),
            (-first_side, 0.6 * lh, 12.0),
        ];
        for (rank, &f) in fractions.iter().enumerate() {
            for (side, extra, side_cost) in sides {
                // Distance back from the tip, at least clear of the arrowhead.
                let back = (len * (1.0 - f)).max(lw * 0.5 + 12.0).min(len * 0.9);
                let p = (label.tip.0 - ux * back, label.tip.1 - uy * back);
                // The normal (uy, -ux) points to screen-up for an edge going right.
                let (nx, ny) = (uy * side, -ux * side);
                let clear = 0.5 * (lw * nx.abs() + lh * ny.abs()) + 1.5 + extra;
                let c = (p.0 + nx * clear, p.1 + ny * clear);
                let bbox = (
                    c.0 - lw / 2.0,
                    c.1 - lh / 2.0,
                    c.0 + lw / 2.0,
                    c.1 + lh / 2.0,
                );
                let mut cost = rank as f64 * 1.5 + side_cost;
                if bbox.0 < 1.0 || bbox.1 < layout.title_height - 4.0 || bbox.2 > w - 1.0 {
                    cost += 10_000.0;
                }
                if bbox.3 > h - 1.0 || bbox.3 > layout.caption_top + 2.0 {
                    cost += 10_000.0;
                }
                for other in near_placed.iter().chain(&near_nodes) {
                    // Any overlap costs more than any number of nearby edges.
                    let area = overlap(bbox, *other);
                    if area > 0.0 {
                        cost += 1000.0 + 100.0 * area;
                    }
                }
                let own = seg_dist(c, label.from, label.tip);
                for e in &near_edges {
                    if crosses(e, bbox) {
                        cost += 6.0;
                    }
                    // A label nearer another edge than its own reads as that edge's.
                    if seg_dist(c, e.from, e.tip) < own + 3.0 {
                        cost += 25.0;
                    }
                }
                if cost < best.0 {
                    best = (cost, c);
                }
            }
        }
        let c = best.1;
        placed.push((
            c.0 - lw / 2.0,
            c.1 - lh / 2.0,
            c.0 + lw / 2.0,
            c.1 + lh / 2.0,
        ));
        centres.push(c);
    }
    centres
}

/// Distance from `p` to the segment `a`-`b`.
fn seg_dist(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (vx, vy) = (b.0 - a.0, b.1 - a.1);
    let len2 = (vx * vx + vy * vy).max(1e-9);
    let t = (((p.0 - a.0) * vx + (p.1 - a.1) * vy) / len2).clamp(0.0, 1.0);
    (p.0 - a.0 - t * vx).hypot(p.1 - a.1 - t * vy)
}

/// Whether an edge passes through a box (Liang-Barsky clipping).
fn crosses(e: &EdgeLine, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> bool {
    let (p, q) = (e.from, e.tip);
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (d, dist) in [
        (-dx, p.0 - x0),
        (dx, x1 - p.0),
        (-dy, p.1 - y0),
        (dy, y1 - p.1),
    ] {
        if d == 0.0 {
            if dist < 0.0 {
                return false;
            }
        } else if d < 0.0 {
            t0 = t0.max(dist / d);
        } else {
            t1 = t1.min(dist / d);
        }
    }
    t0 <= t1
}

impl NetworkDiagram {
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

/// The font at `size` pixels, made smaller (down to 7) until `text` is at most `max_w`
/// wide.
fn fitted(
    area: &Area<'_>,
    text: &str,
    size: f64,
    max_w: f64,
) -> Result<TextStyle<'static>, DrawError> {
    let mut size = size;
    loop {
        let style = style::font(size);
        let (tw, _) = area.estimate_text_size(text, &style)?;
        if f64::from(tw) <= max_w || size <= 7.0 {
            return Ok(style);
        }
        size -= 1.0;
    }
}

/// Draws `text` centred at `c`.
fn text_at(area: &Area<'_>, text: &str, style: TextStyle<'_>, c: (f64, f64)) -> DrawResult {
    // plotters centres the font's whole line box, descender room included, which sets
    // letters and digits about an eighth of the size too high in a circle.
    let drop = 0.12 * style.font.get_size();
    let centred = style.pos(Pos::new(HPos::Center, VPos::Center));
    area.draw(&Text::new(
        text.to_string(),
        (c.0.round() as i32, (c.1 + drop).round() as i32),
        centred,
    ))
}

const CAPTION_SIZE: f64 = 14.0;

impl Chart for NetworkDiagram {
    fn dimensions(&self) -> (u32, u32) {
        self.frame.size
    }

    fn draw(&self, area: &Area<'_>) -> DrawResult {
        let (w, h) = area.dim_in_pixel();
        let caption_font = style::font(CAPTION_SIZE);
        let mut pads = [0.0f64; 2];
        for (pad, layer) in pads.iter_mut().zip([0, self.sizes.len() - 1]) {
            for line in self.captions(layer).into_iter().flatten() {
                let (tw, _) = area.estimate_text_size(&line, &caption_font)?;
                *pad = pad.max(f64::from(tw) / 2.0);
            }
        }
        let layout = self.layout(f64::from(w), f64::from(h), (pads[0], pads[1]));
        let pen = Pen {
            area,
            w: w as i32,
            h: h as i32,
        };
        let r = layout.r;
        let any_highlight = !self.highlights.is_empty();

        // Edges: plain ones first, so that the highlighted path lies on top.
        for e in layout.edges.iter().filter(|e| !e.highlighted) {
            let color = if any_highlight { EDGE_FADED } else { EDGE };
            pen.arrow(e.from, e.tip, 1.2, color)?;
        }
        for e in layout.edges.iter().filter(|e| e.highlighted) {
            pen.arrow(e.from, e.tip, 2.0, EDGE_HIGHLIGHT)?;
        }

        // Nodes, and their labels fitted inside.
        let node_size = (r * 0.85).clamp(8.0, 19.0);
        let outline = (r / 14.0).clamp(1.0, 1.8);
        for n in &layout.nodes {
            let Some(i) = n.index else {
                pen.disk(n.center, r, BIAS_FILL)?;
                pen.ring(n.center, r, outline, OUTLINE)?;
                text_at(area, "1", style::font(node_size), n.center)?;
                continue;
            };
            let label = self.node_labels[n.layer].get(i);
            match &self.activations[n.layer] {
                None => {
                    pen.disk(n.center, r, WHITE)?;
                    pen.ring(n.center, r, outline, OUTLINE)?;
                    if let Some(l) = label {
                        let font = fitted(area, l, node_size, 1.7 * r)?;
                        text_at(area, l, font, n.center)?;
                    }
                }
                Some(act) => {
                    pen.ellipse(n.center, n.half, outline, WHITE, OUTLINE)?;
                    let (ac, zc, ar) = n.inner(r);
                    let zr = ar;
                    for c in [ac, zc] {
                        pen.disk(c, ar, WHITE)?;
                        pen.ring(c, ar, outline * 0.8, OUTLINE)?;
                    }
                    let a = node_name('a', n.layer, i);
                    let z = label.cloned().unwrap_or_else(|| node_name('z', n.layer, i));
                    let inner = (ar * 0.8).clamp(7.0, 16.0);
                    text_at(area, &a, fitted(area, &a, inner, 1.75 * ar)?, ac)?;
                    text_at(area, &z, fitted(area, &z, inner, 1.75 * zr)?, zc)?;
                    let (x0, x1) = (ac.0 + ar + 1.0, zc.0 - zr - 1.5);
                    pen.arrow((x0, ac.1), (x1, zc.1), 1.1, EDGE_HIGHLIGHT)?;
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
                pen.disk((x, y + k * r * 0.45), dot, OUTLINE)?;
            }
        }

        // Edge labels, each on a white box so that edges passing under it do not hide it.
        let label_font = style::font((r * 0.68).clamp(9.0, 17.0));
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
            text_at(area, t, style::font(style::TITLE_SIZE), at)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_test_clips_a_segment_to_a_box() {
        let e = EdgeLine {
            key: EdgeKey {
                layer: 0,
                from: None,
                to: 0,
            },
            from: (0.0, 0.0),
            tip: (10.0, 0.0),
            highlighted: false,
        };
        assert!(crosses(&e, (4.0, -1.0, 6.0, 1.0)));
        assert!(!crosses(&e, (4.0, 2.0, 6.0, 3.0)));
        assert!(!crosses(&e, (11.0, -1.0, 12.0, 1.0)));
        assert!(crosses(&e, (-1.0, -1.0, 0.5, 1.0)));
    }

    /// The label boxes of every labelled edge, as placed in a picture of `w` x `h`, with
    /// labels the size of "w₁₂⁽¹⁾" at 17 px.
    fn placed_boxes(d: &NetworkDiagram, (w, h): (f64, f64)) -> (Layout, Vec<(f64, f64, f64, f64)>) {
        let layout = d.layout(w, h, (0.0, 0.0));
        let size = (44.0, 20.0);
        let pending: Vec<PendingLabel> = layout
            .edges
            .iter()
            .filter_map(|e| {
                d.label_of(e.key).map(|text| PendingLabel {
                    text,
                    size,
                    from: e.from,
                    tip: e.tip,
                })
            })
            .collect();
        let boxes = place_labels(&pending, &layout, (w, h))
            .into_iter()
            .map(|c| {
                let (w, h) = size;
                (c.0 - w / 2.0, c.1 - h / 2.0, c.0 + w / 2.0, c.1 + h / 2.0)
            })
            .collect();
        (layout, boxes)
    }

    fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    #[test]
    fn weight_labels_neither_pile_up_nor_cover_nodes() {
        let small = (480.0, 320.0);
        let cases = [
            (
                NetworkDiagram::new(&[2, 3, 2, 2])
                    .bias(true)
                    .weight_labels(true)
                    .highlight_into(1, 0)
                    .only_highlighted(true),
                small,
            ),
            (
                NetworkDiagram::new(&[2, 3, 2, 2])
                    .bias(true)
                    .weight_labels(true)
                    .highlight_into(2, 1)
                    .highlight_into(3, 0),
                small,
            ),
            (
                NetworkDiagram::new(&[2, 2, 1])
                    .bias(true)
                    .weight_labels(true),
                small,
            ),
            (
                NetworkDiagram::new(&[2, 1]).bias(true).weight_labels(true),
                small,
            ),
            (
                NetworkDiagram::new(&[2, 3]).bias(true).weight_labels(true),
                small,
            ),
            (NetworkDiagram::new(&[4, 4, 4]).weight_labels(true), small),
            // All 23 labels of the 2-3-2-2 network with bias need a larger picture.
            (
                NetworkDiagram::new(&[2, 3, 2, 2])
                    .bias(true)
                    .weight_labels(true),
                (640.0, 400.0),
            ),
        ];
        for (k, (d, size)) in cases.iter().enumerate() {
            let (layout, boxes) = placed_boxes(d, *size);
            assert!(!boxes.is_empty());
            for (i, a) in boxes.iter().enumerate() {
                for b in &boxes[i + 1..] {
                    assert!(
                        !overlaps(*a, *b),
                        "case {k}: labels {a:?} and {b:?} overlap"
                    );
                }
                for n in &layout.nodes {
                    let nb = (
                        n.center.0 - n.half.0,
                        n.center.1 - n.half.1,
                        n.center.0 + n.half.0,
                        n.center.1 + n.half.1,
                    );
                    assert!(!overlaps(*a, nb), "case {k}: label {a:?} covers a node");
                }
                assert!(a.0 >= 0.0 && a.2 <= size.0 && a.1 >= 0.0 && a.3 <= size.1);
            }
        }
    }

    #[test]
    fn book_notation_counts_from_one() {
        let key = EdgeKey {
            layer: 0,
            from: Some(1),
            to: 0,
        };
        assert_eq!(book_label(key), "w₁₂⁽¹⁾");
        let bias = EdgeKey {
            layer: 1,
            from: None,
            to: 1,
        };
        assert_eq!(book_label(bias), "b₂⁽²⁾");
        let big = EdgeKey {
            layer: 0,
            from: Some(783),
            to: 9,
        };
        assert_eq!(book_label(big), "w₁₀,₇₈₄⁽¹⁾");
        assert_eq!(node_name('a', 1, 0), "a₁⁽¹⁾");
        assert_eq!(superscript(1230), "¹²³⁰");
    }

    #[test]
    fn node_count_is_the_sum_of_sizes_plus_bias_nodes() {
        let d = NetworkDiagram::new(&[2, 3, 2, 2]).bias(true);
        let layout = d.layout(480.0, 320.0, (0.0, 0.0));
        // 9 nodes and a bias node atop each of the 3 layers before the output layer.
        assert_eq!(layout.nodes.len(), 9 + 3);
        assert_eq!(layout.nodes.iter().filter(|n| n.index.is_none()).count(), 3);
        // Every node of one layer to every node of the next, bias included.
        assert_eq!(layout.edges.len(), 3 * 3 + 4 * 2 + 3 * 2);
        assert!(layout.ellipses.is_empty());
    }

    #[test]
    fn only_highlighted_keeps_the_edges_into_one_node() {
        let d = NetworkDiagram::new(&[2, 3, 2, 2])
            .bias(true)
            .highlight_into(1, 0)
            .only_highlighted(true);
        let layout = d.layout(480.0, 320.0, (0.0, 0.0));
        let keys: Vec<_> = layout
            .edges
            .iter()
            .map(|e| (e.key.from, e.key.to))
            .collect();
        assert_eq!(keys, vec![(None, 0), (Some(0), 0), (Some(1), 0)]);
        assert!(layout
            .edges
            .iter()
            .all(|e| e.highlighted && e.key.layer == 0));
    }

    #[test]
    fn large_layers_show_four_nodes_and_an_ellipsis() {
        let layout = NetworkDiagram::new(&[784, 50, 10]).layout(480.0, 320.0, (40.0, 40.0));
        assert_eq!(layout.nodes.len(), 12);
        assert_eq!(layout.ellipses.len(), 3);
        let last: Vec<_> = layout.nodes.iter().filter(|n| n.layer == 0).collect();
        assert_eq!(last[3].index, Some(783));
        assert_eq!(layout.edges.len(), 2 * 4 * 4);
    }

    #[test]
    fn nodes_lie_inside_the_picture_and_apart() {
        for sizes in [&[2, 1][..], &[2, 3, 2, 2], &[5, 5, 5], &[784, 50, 10], &[1]] {
            for (act, bias) in [(false, false), (true, true)] {
                let mut d = NetworkDiagram::new(sizes).bias(bias).title("t");
                if act && sizes.len() > 1 {
                    d = d.activation(1, "h()");
                }
                let (w, h) = (480.0, 320.0);
                let l = d.layout(w, h, (30.0, 30.0));
                for n in &l.nodes {
                    let (x, y) = n.center;
                    assert!(x - n.half.0 >= 0.0 && x + n.half.0 <= w, "{sizes:?}: x {x}");
                    assert!(y - n.half.1 >= l.title_height - 1.0, "{sizes:?}: top {y}");
                    assert!(y + n.half.1 <= l.caption_top + 1.0, "{sizes:?}: bottom {y}");
                }
                for (i, a) in l.nodes.iter().enumerate() {
                    for b in &l.nodes[i + 1..] {
                        let apart = (a.center.0 - b.center.0).abs() > a.half.0 + b.half.0
                            || (a.center.1 - b.center.1).abs() > a.half.1 + b.half.1;
                        assert!(apart, "{sizes:?} {act}: nodes overlap");
                    }
                }
            }
        }
    }
}
