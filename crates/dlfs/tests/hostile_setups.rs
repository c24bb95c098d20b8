//! Settings and data that cannot train are refused up front with the setting and the reason;
//! degenerate arrays give the mathematically right result or a named error, never a panic
//! deep inside a kernel.

use dlfs::ndarray::{array, s, Array1, Array2};
use dlfs::*;

fn config() -> TrainConfig {
    TrainConfig {
        iters_num: 5,
        batch_size: 4,
        hidden_size: 3,
        output_size: 3,
        verbose: false,
        ..Default::default()
    }
}

/// Six samples of four inputs, mostly zero, three classes.
fn data() -> (Array2<f64>, Vec<usize>) {
    let x = Array2::from_shape_fn((6, 4), |(r, c)| if c == r % 4 { 1.0 } else { 0.0 });
    (x, vec![0, 1, 2, 0, 1, 2])
}

fn refusal(data: &TrainData, config: &TrainConfig) -> String {
    match train(data, config) {
        Err(TrainError::InvalidConfig(why)) => why,
        other => panic!("expected InvalidConfig, got {other:?}"),
    }
}

#[test]
fn evaluate_every_zero_and_no_iterations_are_invalid_settings() {
    let (x, t) = data();
    let data = TrainData::new(&x, &t, &x, &t);
    let refused = [
        (
            TrainConfig {
                evaluate_every: Some(0),
                ..config()
            },
            "evaluate_every is Some(0); it must be at least 1, or None for once per epoch",
        ),
        (
            TrainConfig {
                iters_num: 0,
                ..config()
            },
            "iters_num is 0; it must be at least 1",
        ),
        (
            TrainConfig {
                output_size: 0,
                ..config()
            },
            "output_size is 0; it must be at least 1",
        ),
    ];
    for (setting, reason) in &refused {
        assert_eq!(refusal(&data, setting), *reason);
    }
    // the trainer makes as many steps as it is asked for, but the settings are still checked
    let err = Trainer::new(
        &data,
        &TrainConfig {
            evaluate_every: Some(0),
            ..config()
        },
    );
    assert!(matches!(err, Err(TrainError::InvalidConfig(_))));
}

#[test]
fn labels_are_checked_against_output_size_not_used_to_size_the_network() {
    let (x, mut t) = data();
    // a label of a billion would have sized an output layer of a billion units
    t[3] = 1_000_000_000;
    let why = refusal(&TrainData::new(&x, &t, &x, &t), &config());
    assert_eq!(
        why,
        "t_train[3] is 1000000000, not below output_size = 3 (labels are 0..3)"
    );
    // 255, a byte read as a label, is refused as well; so is a bad test label
    let (_, good) = data();
    let mut bad = good.clone();
    bad[5] = 255;
    let why = refusal(&TrainData::new(&x, &good, &x, &bad), &config());
    assert!(
        why.starts_with("t_test[5] is 255, not below output_size = 3"),
        "{why}"
    );
    // labels that fit train a network of exactly output_size classes
    let history = train(&TrainData::new(&x, &good, &x, &good), &config()).unwrap();
    assert_eq!(history.network.b2.len(), 3);
}

#[test]
fn one_hot_targets_need_one_column_per_class() {
    let (x, t) = data();
    let none = Array2::<f64>::zeros((6, 0));
    let why = refusal(&TrainData::new(&x, &none, &x, &none), &config());
    assert_eq!(
        why,
        "t_train has shape [6, 0] but output_size is 3; one-hot targets need one column per class"
    );
    let four = one_hot(&t, 4);
    let why = refusal(&TrainData::new(&x, &four, &x, &four), &config());
    assert!(
        why.starts_with("t_train has shape [6, 4] but output_size is 3"),
        "{why}"
    );
}

#[test]
fn samples_without_inputs_are_refused() {
    let x = Array2::<f64>::zeros((20, 0));
    let t = vec![0usize; 20];
    let why = refusal(&TrainData::new(&x, &t, &x, &t), &config());
    assert_eq!(why, "x_train has shape [20, 0]: samples of no inputs");
}

#[test]
fn nan_or_infinite_data_is_blamed_on_the_data_not_the_learning_rate() {
    let (mut x, t) = data();
    x[[1, 2]] = f64::NAN;
    let (clean, _) = data();
    let why = refusal(&TrainData::new(&x, &t, &clean, &t), &config());
    assert_eq!(
        why,
        "x_train[1][2] is NaN; the inputs must be finite numbers"
    );
    x[[1, 2]] = f64::INFINITY;
    let why = refusal(&TrainData::new(&clean, &t, &x, &t), &config());
    assert_eq!(
        why,
        "x_test[1][2] is inf; the inputs must be finite numbers"
    );
    let mut t1 = one_hot(&t, 3);
    t1[[4, 0]] = f64::NAN;
    let why = refusal(&TrainData::new(&clean, &t1, &clean, &t1), &config());
    assert_eq!(
        why,
        "t_train[4][0] is NaN; the targets must be finite numbers"
    );
}

#[test]
fn a_hand_built_zero_width_hidden_layer_predicts_softmax_of_b2_for_every_sample() {
    // No hidden units: nothing of x reaches the output, which is softmax(b2) for every row.
    // b2 = (0, ln 2, ln 3) gives exp(b2) = (1, 2, 3), so softmax(b2) = (1/6, 2/6, 3/6).
    let net = TwoLayerNet {
        w1: Array2::zeros((4, 0)),
        b1: Array1::zeros(0),
        w2: Array2::zeros((0, 3)),
        b2: array![0.0, 2f64.ln(), 3f64.ln()],
    };
    let y = net.predict(&array![[0.0, 1.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0]]);
    assert_eq!(y.shape(), &[2, 3]);
    for row in y.rows() {
        for (p, expected) in row.iter().zip([1.0 / 6.0, 2.0 / 6.0, 3.0 / 6.0]) {
            assert!((p - expected).abs() < 1e-15, "{y}");
        }
    }
}

#[test]
fn strided_label_arrays_work_as_targets() {
    // every other entry of an owned array: a strided Array1<usize> holding 0, 1, 2
    let t = array![0usize, 9, 1, 9, 2, 9].slice_move(s![..;2]);
    assert!(
        t.as_slice().is_none(),
        "the test needs a non-contiguous array"
    );
    // each sample gives its true class probability 0.5: the loss is -ln(0.5 + 1e-7)
    let y = array![[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.5]];
    let loss = cross_entropy_error(&y, &t);
    assert!((loss - -(0.5f64 + 1e-7).ln()).abs() < 1e-15, "{loss}");
    assert_eq!(Targets::from(&t).label(2), 2);
}
