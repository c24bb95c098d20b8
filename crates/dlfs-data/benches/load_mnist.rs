//! How long `load_mnist` takes: read, decompress, check and convert all 70000 images.
//! Run with `cargo bench -p dlfs-data --bench load_mnist`.

use criterion::{criterion_group, criterion_main, Criterion};
use dlfs_data::{load_mnist, load_mnist_raw, MnistOptions};
use std::hint::black_box;
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("mnist");
    // Each load takes a few tenths of a second: a handful of samples is enough.
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("load_mnist(normalize, flatten)", |b| {
        b.iter(|| black_box(load_mnist(MnistOptions::default()).expect("MNIST loads")))
    });
    group.bench_function("load_mnist_raw", |b| {
        b.iter(|| black_box(load_mnist_raw().expect("MNIST loads")))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
