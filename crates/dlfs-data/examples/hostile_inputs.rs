//! Runs one hostile input through the readers, to measure its peak memory in a process of
//! its own: `/usr/bin/time -v target/release/examples/hostile_inputs CASE` ("Maximum
//! resident set size"). Every input is built here in memory (or as a sparse file); the
//! cases are those of tests/hostile.rs at full size. Run without a case to list them.

#[path = "../tests/common/mod.rs"]
mod common;

use dlfs_data::{load_mnist_from, parse_npz, parse_pickle_weights, MnistOptions, MAX_WEIGHT_BYTES};
use flate2::write::DeflateEncoder;
use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

const CASES: [&str; 13] = [
    "linear-pickle",
    "linear-npz",
    "nested-tuples",
    "nested-lists",
    "pickle-opcodes",
    "shared-array",
    "npz-overlap-256",
    "npz-overlap",
    "npz-zip64",
    "npz-at-limit",
    "mnist-labels",
    "mnist-sparse-gz",
    "mnist-valid",
];

fn main() {
    let Some(case) = std::env::args().nth(1) else {
        println!("cases: {}", CASES.join(", "));
        return;
    };
    match run(&case) {
        Ok(outcome) => println!("{case}: {outcome}"),
        Err(e) => {
            let text = e.to_string();
            let shown: String = text.chars().take(300).collect();
            println!("{case}: error: {shown}");
        }
    }
}

fn run(case: &str) -> Result<String, Box<dyn Error>> {
    let pkl = Path::new("hostile.pkl");
    let npz = Path::new("hostile.npz");
    let loaded = |n: usize| format!("loaded {n} arrays");
    Ok(match case {
        // CPU time of one load, from the kernel's count for this (single) thread, so that
        // a loaded machine does not inflate it.
        "linear-pickle" => {
            let bytes = common::shared_array_pickle(50_000, &[1.0, 2.0]);
            cpu_per_load(|| parse_pickle_weights(&bytes, pkl).map(|w| w.len()))?
        }
        "linear-npz" => {
            let bytes = common::many_entry_npz(65_534, "last");
            cpu_per_load(|| parse_npz(&bytes, npz).map(|w| w.len()))?
        }
        "nested-tuples" => {
            let bytes = common::Pickle::default()
                .op(b"N")
                .op(&vec![0x85; 1_000_000])
                .stop();
            loaded(parse_pickle_weights(&bytes, pkl)?.len())
        }
        "nested-lists" => {
            let depth = 500_000;
            let mut p = common::Pickle::default();
            p.op(&vec![b']'; depth]).op(&vec![b'a'; depth - 1]);
            loaded(parse_pickle_weights(&p.stop(), pkl)?.len())
        }
        "pickle-opcodes" => {
            let n = dlfs_data::MAX_PICKLE_OPCODES as usize;
            let bytes = common::Pickle::default().op(b"N").op(&vec![0x85; n]).stop();
            loaded(parse_pickle_weights(&bytes, pkl)?.len())
        }
        "shared-array" => {
            // 16 MiB of values, listed under 1000 names.
            let bytes = common::shared_array_pickle(1000, &vec![0.5; 2 << 20]);
            loaded(parse_pickle_weights(&bytes, pkl)?.len())
        }
        "npz-overlap-256" => overlap_bomb(256 << 20, 8, npz)?,
        "npz-overlap" => overlap_bomb(16 << 20, 8, npz)?,
        "npz-zip64" => {
            // One entry declaring (and inflating to) 4.1 GB of zeros.
            let zeros = 4_100_000_000;
            let mut zip = common::Zip::default();
            let mut entry = zip.local("W1.npy", 8, &common::deflated_zeros(zeros), &[]);
            entry.size = zeros;
            zip.central.push(entry);
            let bytes = zip.finish();
            eprintln!("{} bytes", bytes.len());
            loaded(parse_npz(&bytes, npz)?.len())
        }
        "npz-at-limit" => {
            // The largest npz accepted, near enough: one f8 array whose .npy data is within
            // 128 bytes of the limit, deflated as it is made, so never whole in memory here.
            let n = (MAX_WEIGHT_BYTES - 128) / 8;
            let header = common::npy_f8_header(n as usize);
            let mut e = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            let mut crc = flate2::Crc::new();
            e.write_all(&header)?;
            crc.update(&header);
            let chunk = vec![0u8; 1 << 20];
            let mut left = n * 8;
            while left > 0 {
                let k = left.min(chunk.len() as u64) as usize;
                e.write_all(&chunk[..k])?;
                crc.update(&chunk[..k]);
                left -= k as u64;
            }
            let mut zip = common::Zip::default();
            let mut entry = zip.local("W1.npy", 8, &e.finish()?, &[]);
            (entry.size, entry.crc) = (header.len() as u64 + n * 8, crc.sum());
            zip.central.push(entry);
            let bytes = zip.finish();
            eprintln!("{} bytes, {n} values", bytes.len());
            loaded(parse_npz(&bytes, npz)?.len())
        }
        "mnist-labels" => {
            let count = 67_108_856u32;
            let mut head = dlfs_data::idx::LABELS_MAGIC.to_be_bytes().to_vec();
            head.extend_from_slice(&count.to_be_bytes());
            let bomb = common::gzip_then_zeros(&head, u64::from(count));
            eprintln!("{} bytes each", bomb.len());
            let dir = mnist_dir_with(&[
                ("train-labels-idx1-ubyte.gz", &bomb),
                ("t10k-labels-idx1-ubyte.gz", &bomb),
            ])?;
            let options = MnistOptions {
                one_hot_label: true,
                ..MnistOptions::default()
            };
            let result = load_mnist_from(&dir, options);
            std::fs::remove_dir_all(&dir)?;
            format!("loaded {} images", result?.x_train.len())
        }
        "mnist-sparse-gz" => {
            let dir = mnist_dir_with(&[])?;
            let gz = dir.join("train-images-idx3-ubyte.gz");
            std::fs::remove_file(&gz)?;
            std::fs::File::create(&gz)?.set_len(2 << 30)?;
            let result = load_mnist_from(&dir, MnistOptions::default());
            std::fs::remove_dir_all(&dir)?;
            format!("loaded {} images", result?.x_train.len())
        }
        "mnist-valid" => {
            let dir = mnist_dir_with(&[])?;
            let result = load_mnist_from(&dir, MnistOptions::default());
            std::fs::remove_dir_all(&dir)?;
            format!("loaded {} images", result?.x_train.len())
        }
        other => return Err(format!("unknown case {other}; cases: {}", CASES.join(", ")).into()),
    })
}

/// Loads 10 times and reports the CPU time per load (Linux: /proc/thread-self/schedstat).
fn cpu_per_load(
    load: impl Fn() -> Result<usize, dlfs_data::WeightsError>,
) -> Result<String, Box<dyn Error>> {
    let cpu_ns = || -> Result<u64, Box<dyn Error>> {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat")?;
        Ok(stat.split_whitespace().next().unwrap_or("0").parse()?)
    };
    let start = cpu_ns()?;
    let mut arrays = 0;
    for _ in 0..10 {
        arrays = load()?;
    }
    let per_load = (cpu_ns()? - start) as f64 / 10.0 / 1e6;
    Ok(format!(
        "loaded {arrays} arrays, {per_load:.1} ms of CPU per load"
    ))
}

/// `names` directory entries for one deflated entry of `zeros` zero bytes: 8 of 256 MiB
/// are the bomb that reached 2 GB, 8 of 16 MiB stay within the limit in all.
fn overlap_bomb(zeros: u64, names: usize, npz: &Path) -> Result<String, Box<dyn Error>> {
    let bytes = common::overlapping_bomb(zeros, names);
    eprintln!("{} bytes", bytes.len());
    Ok(format!("loaded {} arrays", parse_npz(&bytes, npz)?.len()))
}

/// A temporary folder with links to the repository's four MNIST files, some replaced.
fn mnist_dir_with(replace: &[(&str, &[u8])]) -> Result<PathBuf, Box<dyn Error>> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist");
    let dir = std::env::temp_dir().join(format!("dlfs-hostile-example-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    for file in dlfs_data::MnistFile::ALL {
        let gz = format!("{file}.gz");
        std::os::unix::fs::symlink(repo.join(&gz), dir.join(&gz))?;
    }
    for (name, bytes) in replace {
        std::fs::remove_file(dir.join(name))?;
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(dir)
}
