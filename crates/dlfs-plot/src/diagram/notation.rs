//! Labels in the book's notation: w₁₂⁽¹⁾, b₁⁽¹⁾, a₁⁽¹⁾, written with Unicode sub- and
//! superscripts.

use super::layout::EdgeKey;

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
pub(super) fn book_label(key: EdgeKey) -> String {
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
pub(super) fn node_name(letter: char, layer: usize, node: usize) -> String {
    format!("{letter}{}⁽{}⁾", subscript(node + 1), superscript(layer))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
