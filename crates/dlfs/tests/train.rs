//! Training: learns a learnable problem, refuses impossible setups, and stops with the
//! history kept when the learning rate is far too large.

use dlfs::ndarray::Array2;
use dlfs::rand::Rng;
use dlfs::*;

/// Ten well separated classes: class c lights up inputs 2c and 2c + 1.
fn blobs(n: usize, seed: u64) -> (Array2<f64>, Vec<usize>) {
    let mut rng = seeded_rng(seed);
    let t: Vec<usize> = (0..n).map(|_| rng.random_range(0..10)).collect();
    let x = Array2::from_shape_fn((n, 20), |(r, c)| {
        if c / 2 == t[r] {
            rng.random_range(0.5..1.0)
        } else {
            0.0
        }
    });
    (x, t)
}

fn config(learning_rate: f64, iters_num: usize) -> TrainConfig {
    TrainConfig {
        iters_num,
        batch_size: 20,
        learning_rate,
        hidden_size: 16,
        weight_init_std: 0.1,
        verbose: false,
        ..Default::default()
    }
}

#[test]
fn a_separable_problem_is_learned_and_evaluated_every_epoch() {
    let (x, t) = blobs(400, 1);
    let (x_test, t_test) = blobs(100, 2);
    let history = train(&TrainData::new(&x, &t, &x_test, &t_test), &config(1.0, 400)).unwrap();
    assert_eq!(history.train_loss_list.len(), 400);
    // 400 samples / batch 20 = 20 iterations per epoch: evaluations at 0, 20, ..., 380
    assert_eq!(
        history.evaluated_at,
        (0..400).step_by(20).collect::<Vec<_>>()
    );
    assert!(
        *history.test_acc_list.last().unwrap() > 0.95,
        "{:?}",
        history.test_acc_list
    );
    // one-hot targets give the same run
    let (t1, tt1) = (one_hot(&t, 10), one_hot(&t_test, 10));
    let again = train(&TrainData::new(&x, &t1, &x_test, &tt1), &config(1.0, 400)).unwrap();
    assert_eq!(again.train_loss_list.len(), 400);
    assert!((again.train_loss_list[399] - history.train_loss_list[399]).abs() < 1e-12);
}

#[test]
fn the_same_seed_gives_the_same_run() {
    let (x, t) = blobs(200, 3);
    let data = TrainData::new(&x, &t, &x, &t);
    let a = train(&data, &config(0.5, 50)).unwrap();
    let b = train(&data, &config(0.5, 50)).unwrap();
    assert_eq!(a, b);
}

#[test]
fn a_far_too_large_learning_rate_is_a_divergence_error_that_keeps_the_history() {
    // Labels unrelated to the inputs: steps far too large make the network sure of wrong
    // answers, and the loss climbs towards its cap -log(1e-7) ≈ 16.1 from about ln 10.
    let mut rng = seeded_rng(4);
    let x = Array2::from_shape_fn((400, 20), |_| rng.random_range(0.0..1.0));
    let t: Vec<usize> = (0..400).map(|_| rng.random_range(0..10)).collect();
    let data = TrainData::new(&x, &t, &x, &t);
    // a sensible learning rate on the same data does not count as diverging
    assert!(train(&data, &config(0.1, 300)).is_ok());
    let err = train(&data, &config(1e4, 2000)).unwrap_err();
    match &err {
        TrainError::Diverged {
            iteration,
            learning_rate,
            history,
            loss,
            initial_loss,
        } => {
            assert_eq!(*learning_rate, 1e4);
            assert_eq!(history.train_loss_list.len(), iteration + 1);
            assert!(*iteration < 2000);
            // independent math: 10 classes, small initial weights -> about ln 10
            assert!((initial_loss - 10f64.ln()).abs() < 0.2, "{initial_loss}");
            assert!(*loss > 3.0 * initial_loss);
        }
        other => panic!("expected Diverged, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("learning_rate = 10000.0"), "{message}");
    assert!(message.contains("try a smaller learning rate"), "{message}");
}

#[test]
fn an_overflowing_learning_rate_is_caught_as_nan() {
    let (x, t) = blobs(100, 5);
    let data = TrainData::new(&x, &t, &x, &t);
    let err = train(&data, &config(1e308, 100)).unwrap_err();
    assert!(matches!(err, TrainError::Diverged { .. }), "{err}");
    assert!(err.to_string().contains("1e308"), "{err}");
}

#[test]
fn impossible_setups_are_refused_with_the_reason() {
    let (x, t) = blobs(50, 6);
    let data = TrainData::new(&x, &t, &x, &t);
    let cases = [
        (
            TrainConfig {
                batch_size: 0,
                ..config(0.1, 10)
            },
            "batch_size is 0",
        ),
        (config(-0.1, 10), "learning_rate is -0.1"),
        (config(f64::NAN, 10), "learning_rate is NaN"),
        (
            TrainConfig {
                hidden_size: 0,
                ..config(0.1, 10)
            },
            "hidden_size is 0",
        ),
    ];
    for (config, why) in cases {
        let err = train(&data, &config).unwrap_err();
        assert!(err.to_string().contains(why), "{err}");
    }
    let short: Vec<usize> = t[..40].to_vec();
    let err = train(&TrainData::new(&x, &short, &x, &t), &config(0.1, 10)).unwrap_err();
    assert!(
        err.to_string()
            .contains("x_train has 50 rows but t_train holds 40 targets"),
        "{err}"
    );
}

#[test]
fn accuracy_over_a_large_set_counts_every_row() {
    // More rows than one chunk of the threaded accuracy, an uneven last chunk, and a mostly
    // zero input (the sparse path): the count must be the plain one over every row.
    let (x, t) = blobs(5003, 4);
    let net = TwoLayerNet::new(20, 16, 10, 1.0, &mut seeded_rng(5));
    let y = net.predict(&x);
    let correct = (0..x.nrows())
        .filter(|&r| argmax(&y.row(r)) == t[r])
        .count();
    let expected = correct as f64 / x.nrows() as f64;
    assert!(
        correct > 0 && correct < x.nrows(),
        "{correct}: a count that tells rows apart"
    );
    assert_eq!(net.accuracy(&x, &t), expected);
    assert_eq!(net.accuracy(&x, &one_hot(&t, 10)), expected);
    // a dense input (no zeros) takes the dense path through the same chunks
    let dense = x.mapv(|v| v + 0.25);
    let y = net.predict(&dense);
    let correct = (0..x.nrows())
        .filter(|&r| argmax(&y.row(r)) == t[r])
        .count();
    assert_eq!(net.accuracy(&dense, &t), correct as f64 / x.nrows() as f64);
}

#[test]
fn a_trainer_steps_through_the_same_run_as_train() {
    let (x, t) = blobs(200, 6);
    let data = TrainData::new(&x, &t, &x, &t);
    let config = TrainConfig {
        evaluate_every: Some(10),
        ..config(0.5, 30)
    };
    let history = train(&data, &config).unwrap();
    let mut trainer = Trainer::new(&data, &config).unwrap();
    for i in 0..30 {
        let loss = trainer.step().unwrap();
        assert_eq!(loss, history.train_loss_list[i]);
        if i % 10 == 0 {
            trainer.evaluate();
        }
    }
    assert_eq!(trainer.history(), &history);
    assert_eq!(trainer.network(), &history.network);
    assert_eq!(trainer.into_history(), history);
}
