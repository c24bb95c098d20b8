//! Perceptrons and logic gates (book chapter 2).
//!
//! The book writes its gates as `AND(x1, x2)` and so on; Rust reserves upper-case names for
//! types and constants, so here they are [`and_gate`], [`nand_gate`], [`or_gate`] and
//! [`xor_gate`]. Each of the first three is a single [`Perceptron`] with the book's weights
//! and bias (book 2.3.3); XOR cannot be one perceptron and is built from the others
//! (book 2.5.2).

/// A perceptron with two inputs: outputs 1 when w1·x1 + w2·x2 + b > 0, else 0 (book 2.3.3).
///
/// The book's `w` is [`Perceptron::w`] and its `b` (the bias, 偏置 / バイアス) is
/// [`Perceptron::b`].
///
/// ```
/// use dlfs::Perceptron;
/// let and = Perceptron::AND;
/// assert_eq!(and.output(1.0, 1.0), 1);
/// assert_eq!(and.output(1.0, 0.0), 0);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Perceptron {
    /// The weights (w1, w2), how much each input counts.
    pub w: [f64; 2],
    /// The bias b, how easily the perceptron fires.
    pub b: f64,
}

impl Perceptron {
    /// The book's AND gate: w = (0.5, 0.5), b = −0.7.
    ///
    /// ```
    /// assert_eq!(dlfs::Perceptron::AND.output(1.0, 1.0), 1);
    /// ```
    pub const AND: Perceptron = Perceptron {
        w: [0.5, 0.5],
        b: -0.7,
    };
    /// The book's NAND gate: w = (−0.5, −0.5), b = 0.7.
    ///
    /// ```
    /// assert_eq!(dlfs::Perceptron::NAND.output(1.0, 1.0), 0);
    /// ```
    pub const NAND: Perceptron = Perceptron {
        w: [-0.5, -0.5],
        b: 0.7,
    };
    /// The book's OR gate: w = (0.5, 0.5), b = −0.2.
    ///
    /// ```
    /// assert_eq!(dlfs::Perceptron::OR.output(0.0, 1.0), 1);
    /// ```
    pub const OR: Perceptron = Perceptron {
        w: [0.5, 0.5],
        b: -0.2,
    };

    /// A perceptron with weights `w` and bias `b`.
    ///
    /// ```
    /// let p = dlfs::Perceptron::new([1.0, 1.0], -1.5);
    /// assert_eq!(p.output(1.0, 1.0), 1);
    /// ```
    pub fn new(w: [f64; 2], b: f64) -> Self {
        Perceptron { w, b }
    }

    /// The weighted sum w1·x1 + w2·x2 + b before the threshold.
    ///
    /// ```
    /// let s = dlfs::Perceptron::AND.weighted_sum(1.0, 1.0);
    /// assert!((s - 0.3).abs() < 1e-12);
    /// ```
    pub fn weighted_sum(&self, x1: f64, x2: f64) -> f64 {
        self.w[0] * x1 + self.w[1] * x2 + self.b
    }

    /// 1 if the weighted sum is above 0, else 0.
    ///
    /// ```
    /// assert_eq!(dlfs::Perceptron::OR.output(0.0, 1.0), 1);
    /// ```
    pub fn output(&self, x1: f64, x2: f64) -> u8 {
        u8::from(self.weighted_sum(x1, x2) > 0.0)
    }
}

/// AND: 1 only when both inputs are 1 (book 2.3, `AND`).
///
/// ```
/// let out: Vec<u8> = [(0., 0.), (1., 0.), (0., 1.), (1., 1.)]
///     .iter().map(|&(a, b)| dlfs::and_gate(a, b)).collect();
/// assert_eq!(out, [0, 0, 0, 1]);
/// ```
pub fn and_gate(x1: f64, x2: f64) -> u8 {
    Perceptron::AND.output(x1, x2)
}

/// NAND (not AND): 0 only when both inputs are 1 (book 2.3, `NAND`).
///
/// ```
/// let out: Vec<u8> = [(0., 0.), (1., 0.), (0., 1.), (1., 1.)]
///     .iter().map(|&(a, b)| dlfs::nand_gate(a, b)).collect();
/// assert_eq!(out, [1, 1, 1, 0]);
/// ```
pub fn nand_gate(x1: f64, x2: f64) -> u8 {
    Perceptron::NAND.output(x1, x2)
}

/// OR: 1 when at least one input is 1 (book 2.3, `OR`).
///
/// ```
/// let out: Vec<u8> = [(0., 0.), (1., 0.), (0., 1.), (1., 1.)]
///     .iter().map(|&(a, b)| dlfs::or_gate(a, b)).collect();
/// assert_eq!(out, [0, 1, 1, 1]);
/// ```
pub fn or_gate(x1: f64, x2: f64) -> u8 {
    Perceptron::OR.output(x1, x2)
}

/// XOR: 1 when exactly one input is 1, built as AND(NAND(x1, x2), OR(x1, x2)), a two-layer
/// perceptron (book 2.5.2, `XOR`).
///
/// ```
/// let out: Vec<u8> = [(0., 0.), (1., 0.), (0., 1.), (1., 1.)]
///     .iter().map(|&(a, b)| dlfs::xor_gate(a, b)).collect();
/// assert_eq!(out, [0, 1, 1, 0]);
/// ```
pub fn xor_gate(x1: f64, x2: f64) -> u8 {
    let s1 = nand_gate(x1, x2);
    let s2 = or_gate(x1, x2);
    and_gate(f64::from(s1), f64::from(s2))
}
