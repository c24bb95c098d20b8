//! Draws the book's network figures with `NetworkDiagram` into the directory given as
//! the first argument (default `target/diagrams`):
//!
//! ```text
//! cargo run -p dlfs-plot --example diagrams -- target/diagrams
//! ```

mod common;

use std::error::Error;

use dlfs_plot::NetworkDiagram;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = common::out_dir("target/diagrams")?;
    let save = |name: &str, chart: &NetworkDiagram| common::save(&dir, name, chart);

    // Book 2.1, figure 2-1: a perceptron with two inputs.
    save(
        "fig2-1_perceptron.png",
        &NetworkDiagram::new(&[2, 1])
            .title("Figure 2-1")
            .node_labels(0, ["x₁", "x₂"])
            .node_labels(1, ["y"])
            .edge_label(0, 0, 0, "w₁")
            .edge_label(0, 1, 0, "w₂")
            .size(360, 240),
    )?;
    // Book 2.5.2, figure 2-13: XOR as a two-layer perceptron.
    save(
        "fig2-13_xor.png",
        &NetworkDiagram::new(&[2, 2, 1])
            .title("Figure 2-13")
            .layer_names(["layer 0", "layer 1", "layer 2"])
            .node_labels(0, ["x₁", "x₂"])
            .node_labels(1, ["s₁", "s₂"])
            .node_labels(2, ["y"]),
    )?;
    // Book 3.1.1, figure 3-1: input, hidden and output layer.
    save(
        "fig3-1_network.png",
        &NetworkDiagram::new(&[2, 3, 2])
            .title("Figure 3-1")
            .layer_names(["input layer", "hidden layer", "output layer"]),
    )?;
    // Book 3.1.2, figure 3-3: the perceptron with its bias as a node.
    save(
        "fig3-3_bias.png",
        &NetworkDiagram::new(&[2, 1])
            .title("Figure 3-3")
            .bias(true)
            .node_labels(0, ["x₁", "x₂"])
            .node_labels(1, ["y"])
            .bias_label(0, 0, "b")
            .edge_label(0, 0, 0, "w₁")
            .edge_label(0, 1, 0, "w₂")
            .size(360, 260),
    )?;
    // Book 3.4.2, figure 3-17: from the input layer to layer 1.
    let network = || {
        NetworkDiagram::new(&[2, 3, 2, 2])
            .bias(true)
            .node_labels(0, ["x₁", "x₂"])
            .weight_labels(true)
    };
    save(
        "fig3-17_signal_into_layer_1.png",
        &network()
            .title("Figure 3-17")
            .highlight_into(1, 0)
            .only_highlighted(true),
    )?;
    // Figure 3-18: the same, with the activation function inside the nodes.
    save(
        "fig3-18_activation.png",
        &network()
            .title("Figure 3-18")
            .activation(1, "h()")
            .highlight_into(1, 0)
            .only_highlighted(true),
    )?;
    // Figure 3-19: from layer 1 to layer 2.
    save(
        "fig3-19_signal_into_layer_2.png",
        &network()
            .title("Figure 3-19")
            .node_labels(1, ["z₁⁽¹⁾", "z₂⁽¹⁾", "z₃⁽¹⁾"])
            .activation(2, "h()")
            .highlight_into(2, 0)
            .only_highlighted(true),
    )?;
    // Figure 3-20: from layer 2 to the output layer.
    save(
        "fig3-20_signal_into_output.png",
        &network()
            .title("Figure 3-20")
            .node_labels(2, ["z₁⁽²⁾", "z₂⁽²⁾"])
            .node_labels(3, ["y₁", "y₂"])
            .activation(3, "σ()")
            .highlight_into(3, 0)
            .only_highlighted(true),
    )?;
    // All edges, the path into one node emphasised and the others grey.
    save(
        "signal_path_grey.png",
        &network()
            .title("w and b into node 1 of layer 1")
            .highlight_into(1, 0),
    )?;
    // Book 3.6: the MNIST network, sizes only.
    save(
        "mnist_784_50_10.png",
        &NetworkDiagram::new(&[784, 50, 100, 10])
            .title("The network of book 3.6")
            .layer_names(["input layer", "layer 1", "layer 2", "output layer"])
            .node_labels(0, (1..=784).map(|i| format!("x{i}"))),
    )?;
    // Every edge labelled: the limit of what stays legible.
    save(
        "all_weights.png",
        &NetworkDiagram::new(&[2, 3, 2, 2])
            .bias(true)
            .weight_labels(true)
            .size(640, 400),
    )?;
    Ok(())
}
