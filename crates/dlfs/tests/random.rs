//! `SeededRng` is ChaCha8 written out in the crate; its stream must be that of
//! `rand_chacha::ChaCha8Rng`, the generator it replaces, so that every seeded result
//! (weights, mini-batches, notebook outputs) stays the same.

use dlfs::rand::{Rng, RngCore, SeedableRng};
use dlfs::{randn, random_choice, seeded_rng, SeededRng};
use rand_chacha::ChaCha8Rng;

/// Draws from both generators in the same pattern: words, pairs of words at every offset
/// (so some straddle a refill of the 64-word buffer), and byte runs of odd lengths.
fn same_stream(mut ours: SeededRng, mut theirs: ChaCha8Rng, what: &str) {
    for step in 0..700usize {
        match step % 5 {
            0 | 1 => assert_eq!(
                ours.next_u32(),
                theirs.next_u32(),
                "{what}: u32, step {step}"
            ),
            2 | 3 => assert_eq!(
                ours.next_u64(),
                theirs.next_u64(),
                "{what}: u64, step {step}"
            ),
            _ => {
                let len = step % 13;
                let (mut a, mut b) = (vec![0u8; len], vec![0u8; len]);
                ours.fill_bytes(&mut a);
                theirs.fill_bytes(&mut b);
                assert_eq!(a, b, "{what}: {len} bytes, step {step}");
            }
        }
    }
}

#[test]
fn seeded_from_u64_is_chacha8() {
    for seed in (0..40).chain([u64::MAX, 1 << 63, 0xdead_beef]) {
        same_stream(
            seeded_rng(seed),
            ChaCha8Rng::seed_from_u64(seed),
            &format!("seed {seed}"),
        );
    }
}

#[test]
fn seeded_from_bytes_is_chacha8() {
    let mut seed = [0u8; 32];
    for (i, b) in seed.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37).wrapping_add(11);
    }
    same_stream(
        SeededRng::from_seed(seed),
        ChaCha8Rng::from_seed(seed),
        "byte seed",
    );
}

#[test]
fn long_runs_agree_past_many_refills() {
    let (mut ours, mut theirs) = (seeded_rng(5), ChaCha8Rng::seed_from_u64(5));
    let mut big_a = vec![0u8; 100_003];
    let mut big_b = vec![0u8; 100_003];
    ours.fill_bytes(&mut big_a);
    theirs.fill_bytes(&mut big_b);
    assert_eq!(big_a, big_b);
    for i in 0..10_000 {
        assert_eq!(
            ours.next_u64(),
            theirs.next_u64(),
            "u64 {i} after the bytes"
        );
    }
}

#[test]
fn what_the_crate_draws_is_unchanged() {
    let mut theirs = ChaCha8Rng::seed_from_u64(42);
    let w = randn(&mut seeded_rng(42), (7, 5));
    let expected = randn(&mut theirs, (7, 5));
    assert_eq!(w, expected);
    let mut theirs = ChaCha8Rng::seed_from_u64(3);
    assert_eq!(
        random_choice(&mut seeded_rng(3), 60_000, 100),
        random_choice(&mut theirs, 60_000, 100)
    );
    let mut ours = seeded_rng(9);
    let mut theirs = ChaCha8Rng::seed_from_u64(9);
    for _ in 0..1000 {
        assert_eq!(
            ours.random::<f64>().to_bits(),
            theirs.random::<f64>().to_bits()
        );
    }
}
