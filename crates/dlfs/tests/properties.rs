//! Properties that hold for all inputs.

use dlfs::ndarray::{Array1, Array2};
use dlfs::*;
use proptest::prelude::*;

fn big_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e300..1e300f64,
        -1e3..1e3f64,
        Just(1e300),
        Just(-1e300),
        Just(0.0)
    ]
}

proptest! {
    #[test]
    fn softmax_rows_sum_to_one_and_stay_finite(
        rows in 1usize..5, cols in 1usize..12,
        values in prop::collection::vec(big_value(), 60)
    ) {
        let x = Array2::from_shape_fn((rows, cols), |(r, c)| values[(r * cols + c) % values.len()]);
        let y = softmax(&x);
        for row in y.rows() {
            prop_assert!(row.iter().all(|v| v.is_finite() && *v >= 0.0));
            prop_assert!((row.sum() - 1.0).abs() < 1e-12, "row sums to {}", row.sum());
        }
        let y1 = softmax(&x.row(0).to_owned());
        prop_assert!((y1.sum() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn cross_entropy_is_finite_when_a_probability_is_exactly_zero(
        n in 1usize..6, classes in 2usize..10, seed in any::<u64>()
    ) {
        let mut rng = seeded_rng(seed);
        let labels: Vec<usize> = random_choice(&mut rng, classes, n);
        // every sample gives probability 0 to its true class
        let mut y = Array2::from_elem((n, classes), 0.0);
        for (i, &l) in labels.iter().enumerate() {
            y[[i, (l + 1) % classes]] = 1.0;
        }
        let e = cross_entropy_error(&y, &labels);
        prop_assert!(e.is_finite());
        // -log(0 + 1e-7), independent of our code
        prop_assert!((e - -(1e-7f64).ln()).abs() < 1e-9);
    }

    #[test]
    fn one_hot_and_label_forms_of_cross_entropy_agree(
        n in 1usize..8, classes in 2usize..12, seed in any::<u64>()
    ) {
        let mut rng = seeded_rng(seed);
        let scores: Array2<f64> = randn(&mut rng, (n, classes));
        let y = softmax(&scores);
        let labels = random_choice(&mut rng, classes, n);
        let t = one_hot(&labels, classes);
        let a = cross_entropy_error(&y, &t);
        let b = cross_entropy_error(&y, &labels);
        prop_assert!((a - b).abs() < 1e-12, "{a} vs {b}");
        // single sample: 1-D y with a 1-D one-hot t or one label
        let y0: Array1<f64> = y.row(0).to_owned();
        let t0: Array1<f64> = t.row(0).to_owned();
        let c = cross_entropy_error(&y0, &t0);
        let d = cross_entropy_error(&y0, &[labels[0]]);
        prop_assert!((c - d).abs() < 1e-12);
    }

    #[test]
    fn sigmoid_stays_in_0_1_and_relu_is_nonnegative(x in -1e300..1e300f64) {
        let s = sigmoid(&Array1::from(vec![x]))[0];
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert!(relu(&Array1::from(vec![x]))[0] >= 0.0);
    }
}
