//! Parsing is linear in the input: a pickled dict of 50,000 names and an npz of 65,534
//! entries, built in memory, each load in a small fraction of a second (the quadratic
//! readers took 200 s and 30 s). Run with `cargo bench -p dlfs-data --bench hostile`.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use dlfs_data::{parse_npz, parse_pickle_weights};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));

    // 50,000 names, each fetching one small array from the memo: every insert is a dict
    // lookup, the case that scanned all earlier keys.
    let pickle = common::shared_array_pickle(50_000, &[1.0, 2.0]);
    group.bench_function("pickle, 50,000 keys", |b| {
        b.iter(|| {
            let w = parse_pickle_weights(black_box(&pickle), Path::new("keys.pkl"));
            assert_eq!(w.expect("loads").len(), 50_000);
        })
    });

    // 65,534 entries, the most a zip without zip64 holds, each name checked against all
    // earlier ones.
    let npz = common::many_entry_npz(65_534, "last");
    group.bench_function("npz, 65,534 entries", |b| {
        b.iter(|| {
            let w = parse_npz(black_box(&npz), Path::new("entries.npz"));
            assert_eq!(w.expect("loads").len(), 65_534);
        })
    });
    // The same with the last name repeating the first: refused at the very end.
    let repeated = common::many_entry_npz(65_534, "a0");
    group.bench_function("npz, 65,534 entries, last name repeated", |b| {
        b.iter(|| {
            let w = parse_npz(black_box(&repeated), Path::new("entries.npz"));
            assert!(w.is_err());
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
