//! Hostile files, each built here in memory: deep nesting, zip bombs, arrays shared under
//! many names, MNIST files that claim or inflate to far more than MNIST, and things that
//! are not files at all. Each must give an error naming the file and what was wrong (or a
//! correct result), never an abort, a stack overflow or memory beyond the stated limits.
//! The memory each bomb needs is measured by examples/hostile_inputs.rs.

mod common;

use common::{
    deflated_zeros, gzip_then_zeros, many_entry_npz, many_key_pickle, npy_f8, overlapping_bomb,
    shared_array_pickle, Pickle, Zip,
};
use dlfs::ndarray::array;
use dlfs::OutputLayer;
use dlfs_data::{
    idx, load_mnist_from, parse_npz, parse_pickle_weights, read_npz, read_pickle_weights,
    MnistError, MnistFile, MnistOptions, WeightFile, WeightsError, MAX_PICKLE_OPCODES,
    MAX_WEIGHT_BYTES,
};
use std::path::{Path, PathBuf};

fn pkl() -> &'static Path {
    Path::new("hostile.pkl")
}

fn npz() -> &'static Path {
    Path::new("hostile.npz")
}

/// A fresh, empty folder for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dlfs-hostile-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pickle_reason(err: &WeightsError) -> (u64, &str) {
    match err {
        WeightsError::Pickle {
            path,
            offset,
            reason,
        } if path == pkl() => (*offset, reason),
        other => panic!("expected a pickle error naming hostile.pkl, got {other:?}"),
    }
}

fn zip_reason(err: &WeightsError) -> (u64, &str) {
    match err {
        WeightsError::Zip {
            path,
            offset,
            reason,
        } if path == npz() => (*offset, reason),
        other => panic!("expected a zip error naming hostile.npz, got {other:?}"),
    }
}

/// Why `archive`, read as hostile.npz, is refused.
fn npz_refusal(archive: &[u8]) -> String {
    zip_reason(&parse_npz(archive, npz()).unwrap_err())
        .1
        .to_owned()
}

// ---- Pickles ---------------------------------------------------------------------------

#[test]
fn a_million_nested_tuples_are_read_and_dropped_without_overflowing_the_stack() {
    let nested = Pickle::default().op(b"N").op(&vec![0x85; 1_000_000]).stop();
    let err = parse_pickle_weights(&nested, pkl()).unwrap_err();
    let (offset, reason) = pickle_reason(&err);
    assert!(reason.contains("holds a tuple, not a dict"), "{reason}");
    assert_eq!(offset, nested.len() as u64 - 1, "at the STOP opcode");

    // Lists nested by APPEND, as the value of a dict entry.
    let depth = 400_000;
    let mut p = Pickle::default();
    p.op(b"}")
        .str("W1")
        .op(&vec![b']'; depth])
        .op(&vec![b'a'; depth - 1]);
    let lists = p.op(b"s").stop();
    let err = parse_pickle_weights(&lists, pkl()).unwrap_err();
    assert!(
        pickle_reason(&err)
            .1
            .contains("`W1` is a list, not a numpy array"),
        "{err}"
    );
}

#[test]
fn more_opcodes_than_the_limit_are_refused_at_the_first_one_over() {
    let limit = MAX_PICKLE_OPCODES as usize;
    // PROTO, NONE, then enough TUPLE1s to pass the limit.
    let long = Pickle::default().op(b"N").op(&vec![0x85; limit]).stop();
    let err = parse_pickle_weights(&long, pkl()).unwrap_err();
    let (offset, reason) = pickle_reason(&err);
    assert!(reason.contains("MAX_PICKLE_OPCODES"), "{reason}");
    // Opcode number limit + 1 starts at byte limit + 1 (PROTO takes two bytes).
    assert_eq!(offset, limit as u64 + 1);
}

#[test]
fn an_array_fetched_from_the_memo_under_many_names_is_counted_once_per_name() {
    // 16 MiB of values stored once, listed under 1000 names: 16 GB if each were copied.
    let values = vec![0.5; 2 << 20];
    let bomb = shared_array_pickle(1000, &values);
    assert!(bomb.len() < 17 << 20);
    let err = parse_pickle_weights(&bomb, pkl()).unwrap_err();
    let (_, reason) = pickle_reason(&err);
    assert!(reason.contains("several names"), "{reason}");
    assert!(reason.contains("MAX_WEIGHT_BYTES"), "{reason}");

    // A few names for one array are fine: each name gets the array.
    let w = parse_pickle_weights(&shared_array_pickle(3, &[1.0, 2.0]), pkl()).unwrap();
    assert_eq!(w.names().collect::<Vec<_>>(), ["a0", "a1", "a2"]);
    for name in ["a0", "a1", "a2"] {
        assert_eq!(w.vector(name).unwrap(), array![1.0, 2.0]);
    }
}

#[test]
fn arrays_built_past_the_limit_are_refused_before_they_are_allocated() {
    // One array whose shape asks for one value more than the limit allows. Its data is
    // absent: the size is refused before the data is even looked at.
    let values = (MAX_WEIGHT_BYTES / 8) as i32 + 1;
    let mut p = Pickle::default();
    p.op(b"}")
        .str("W1")
        .op(b"cnumpy.core.numeric\n_frombuffer\n(B\x00\x00\x00\x00");
    p.op(b"cnumpy\ndtype\n").str("f8").op(b"\x89\x88\x87R");
    p.op(b"(K\x03")
        .str("<")
        .op(b"NNN")
        .int(-1)
        .int(-1)
        .op(b"K\x00tb");
    let bytes = p.int(values).op(b"\x85").str("C").op(b"tRs").stop();
    let err = parse_pickle_weights(&bytes, pkl()).unwrap_err();
    let (_, reason) = pickle_reason(&err);
    assert!(reason.contains("MAX_WEIGHT_BYTES"), "{reason}");
}

// ---- npz -------------------------------------------------------------------------------

#[test]
fn several_directory_entries_for_one_local_header_are_refused_before_inflating() {
    let bomb = overlapping_bomb(1 << 20, 8);
    let err = parse_npz(&bomb, npz()).unwrap_err();
    let (offset, reason) = zip_reason(&err);
    assert!(reason.contains("overlap"), "{reason}");
    assert_eq!(offset, 0, "both point at the local header at byte 0");
}

/// An archive of one entry `W1.npy` of `zeros` deflated zero bytes that claims `declared`.
fn lying_entry(zeros: u64, declared: u64) -> Vec<u8> {
    let mut zip = Zip::default();
    let mut entry = zip.local("W1.npy", 8, &deflated_zeros(zeros), &[]);
    entry.size = declared;
    zip.central.push(entry);
    zip.finish()
}

#[test]
fn a_zip64_entry_declaring_4_gb_is_refused_before_inflating() {
    let reason = npz_refusal(&lying_entry(1 << 20, 4_100_000_000));
    assert!(
        reason.contains("over the limit of 134217728 bytes"),
        "{reason}"
    );
}

#[test]
fn entries_declaring_more_than_the_limit_together_are_refused() {
    let mut zip = Zip::default();
    for name in ["W1.npy", "W2.npy"] {
        let mut entry = zip.local(name, 8, &deflated_zeros(1000), &[]);
        entry.size = MAX_WEIGHT_BYTES / 2 + 1;
        zip.central.push(entry);
    }
    let reason = npz_refusal(&zip.finish());
    assert!(reason.contains("entry `W2.npy` brings"), "{reason}");
    assert!(reason.contains("MAX_WEIGHT_BYTES"), "{reason}");
}

#[test]
fn inflating_stops_one_byte_past_the_declared_size() {
    let reason = npz_refusal(&lying_entry(1 << 20, 1000));
    assert!(
        reason.contains("decompresses to 1001 or more bytes"),
        "{reason}"
    );

    // And a size that promises far more than the data holds costs nothing and is named.
    let reason = npz_refusal(&lying_entry(10, MAX_WEIGHT_BYTES));
    assert!(reason.contains("decompresses to 10 bytes"), "{reason}");
}

#[test]
fn a_65534_entry_npz_reads_and_a_repeated_name_in_it_is_refused() {
    let w = parse_npz(&many_entry_npz(65_534, "last"), npz()).unwrap();
    assert_eq!(w.len(), 65_534);
    assert_eq!(w.vector("a65532").unwrap(), array![65_532.0]);
    assert_eq!(w.vector("last").unwrap(), array![65_533.0]);

    let reason = npz_refusal(&many_entry_npz(65_534, "a0"));
    assert!(reason.contains("the name `a0` appears twice"), "{reason}");
}

// ---- Things that are not weight files --------------------------------------------------

#[test]
fn a_directory_a_symlink_loop_or_a_huge_file_in_place_of_a_weight_file_are_named() {
    let dir = temp_dir("weights");
    let err = read_npz(&dir).unwrap_err();
    assert!(
        matches!(
            &err,
            WeightsError::NotAFile {
                found: "a directory",
                ..
            }
        ),
        "{err:?}"
    );
    let link = dir.join("loop.pkl");
    std::os::unix::fs::symlink(&link, &link).unwrap();
    let err = read_pickle_weights(&link).unwrap_err();
    assert!(matches!(err, WeightsError::Io { .. }), "{err:?}");
    assert!(err.to_string().contains("symbolic links"), "{err}");

    // A sparse file one byte over the limit: refused by its size, never read.
    let huge = dir.join("huge.npz");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(MAX_WEIGHT_BYTES + 1).unwrap();
    let err = read_npz(&huge).unwrap_err();
    assert!(
        matches!(
            err,
            WeightsError::TooLarge {
                limit: MAX_WEIGHT_BYTES,
                ..
            }
        ),
        "{err:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_missing_w3_is_reported_as_missing_not_as_an_unexpected_b3() {
    let mut net = WeightFile::from(&dlfs::init_network());
    let without_w3: Vec<_> = net
        .iter()
        .filter(|(name, _)| *name != "W3")
        .map(|(name, a)| (name.to_string(), a.clone()))
        .collect();
    net = WeightFile::new();
    for (name, a) in without_w3 {
        net.insert(name, a);
    }
    let err = net.to_layered_net(OutputLayer::Identity).unwrap_err();
    assert!(
        matches!(&err, WeightsError::MissingKey { key, .. } if key == "W3"),
        "{err:?}"
    );
    assert!(err.to_string().contains("no array named `W3`"), "{err}");

    // W2 and b2 missing, W3 and b3 there: W2 is what is missing.
    let mut gap = WeightFile::new();
    gap.insert("W1", array![[1.0]]);
    gap.insert("b1", array![1.0]);
    gap.insert("W3", array![[1.0]]);
    gap.insert("b3", array![1.0]);
    let err = gap.to_layered_net(OutputLayer::Identity).unwrap_err();
    assert!(
        matches!(&err, WeightsError::MissingKey { key, .. } if key == "W2"),
        "{err:?}"
    );
}

// ---- MNIST -----------------------------------------------------------------------------

fn repo_mnist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist")
}

/// A folder with the real images files, linked, and the given labels files.
fn with_labels(test: &str, train: &[u8], test_labels: &[u8]) -> PathBuf {
    let dir = temp_dir(test);
    for file in [MnistFile::TrainImages, MnistFile::TestImages] {
        let gz = format!("{file}.gz");
        std::os::unix::fs::symlink(repo_mnist().join(&gz), dir.join(&gz)).unwrap();
    }
    std::fs::write(dir.join("train-labels-idx1-ubyte.gz"), train).unwrap();
    std::fs::write(dir.join("t10k-labels-idx1-ubyte.gz"), test_labels).unwrap();
    dir
}

fn labels_header(count: u32) -> Vec<u8> {
    let mut b = idx::LABELS_MAGIC.to_be_bytes().to_vec();
    b.extend_from_slice(&count.to_be_bytes());
    b
}

#[test]
fn labels_files_of_67_million_labels_are_refused_before_any_conversion() {
    // 65 KB each; one-hot rows of them would need 5.4 GB each.
    let count = 67_108_856;
    let bomb = gzip_then_zeros(&labels_header(count), u64::from(count));
    assert!(bomb.len() < 100_000);
    let dir = with_labels("labels-bomb", &bomb, &bomb);
    let options = MnistOptions {
        one_hot_label: true,
        ..MnistOptions::default()
    };
    let err = load_mnist_from(&dir, options).unwrap_err();
    let expected = MnistFile::TrainLabels.decompressed_bytes();
    assert!(
        matches!(&err, MnistError::TooLarge { path, limit }
            if path.ends_with("train-labels-idx1-ubyte.gz") && *limit == expected),
        "{err:?}"
    );
    assert!(err.to_string().contains("more than 60008 bytes"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_labels_file_one_byte_longer_than_mnist_is_refused_at_that_byte() {
    let one_more = gzip_then_zeros(&labels_header(60_001), 60_001);
    let test = gzip_then_zeros(&labels_header(10_000), 10_000);
    let dir = with_labels("one-more", &one_more, &test);
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(
        matches!(&err, MnistError::TooLarge { limit: 60_008, .. }),
        "{err:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_2_gib_sparse_gz_is_refused_by_its_size_without_being_read() {
    let dir = temp_dir("sparse");
    let gz = dir.join("train-images-idx3-ubyte.gz");
    let file = std::fs::File::create(&gz).unwrap();
    file.set_len(2 << 30).unwrap();
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(
        matches!(&err, MnistError::TooLarge { path, limit }
            if path == &gz && *limit == idx::MAX_FILE_BYTES),
        "{err:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---- Random structure ------------------------------------------------------------------

mod fuzz {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// Opcodes that build, nest, share and store containers (with memo keys 0-3).
    fn container_op() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b"N".to_vec()),
            Just(b")".to_vec()),
            Just(b"]".to_vec()),
            Just(b"}".to_vec()),
            Just(b"(".to_vec()),
            Just(vec![0x85]),
            Just(vec![0x86]),
            Just(b"a".to_vec()),
            Just(b"e".to_vec()),
            Just(b"t".to_vec()),
            Just(b"l".to_vec()),
            Just(b"s".to_vec()),
            Just(b"2".to_vec()),
            (0u8..4).prop_map(|k| vec![b'q', k]),
            (0u8..4).prop_map(|k| vec![b'h', k]),
            Just(b"X\x02\x00\x00\x00W1".to_vec()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Any mix of nesting, sharing and cycles through the memo ends in an error inside
        /// the file, or in a dict with no arrays; never in a panic.
        #[test]
        fn containers_nested_shared_and_cyclic_never_panic(
            ops in proptest::collection::vec(container_op(), 0..200),
        ) {
            let bytes = Pickle::default().op(&ops.concat()).stop();
            match parse_pickle_weights(&bytes, pkl()) {
                Ok(w) => prop_assert!(w.is_empty()),
                Err(WeightsError::Pickle { offset, .. }) => {
                    prop_assert!(offset < bytes.len() as u64)
                }
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }

        /// Repeated keys behave as in Python: the last value wins, the first position stays.
        #[test]
        fn dict_keys_behave_as_in_python(keys in proptest::collection::vec(0u8..6, 0..40)) {
            let mut p = Pickle::default();
            p.op(b"}(");
            for (i, k) in keys.iter().enumerate() {
                p.str(&format!("k{k}")).f8_array(&[i as f64]);
            }
            let bytes = p.op(b"u").stop();
            let w = parse_pickle_weights(&bytes, pkl()).unwrap();
            let mut order: Vec<String> = Vec::new();
            let mut last: HashMap<String, f64> = HashMap::new();
            for (i, k) in keys.iter().enumerate() {
                let name = format!("k{k}");
                if last.insert(name.clone(), i as f64).is_none() {
                    order.push(name);
                }
            }
            prop_assert_eq!(w.names().collect::<Vec<_>>(), order.iter().map(String::as_str).collect::<Vec<_>>());
            for (name, v) in &last {
                prop_assert_eq!(w.vector(name).unwrap(), array![*v]);
            }
        }

        /// An npz with a repeated name is refused, one without reads every entry.
        #[test]
        fn npz_names_are_refused_exactly_when_repeated(
            names in proptest::collection::vec(0u8..8, 1..20),
        ) {
            let mut zip = Zip::default();
            for (i, n) in names.iter().enumerate() {
                zip.stored(&format!("w{n}.npy"), &npy_f8(&[i as f64]));
            }
            let result = parse_npz(&zip.finish(), npz());
            let mut unique = names.clone();
            unique.sort_unstable();
            unique.dedup();
            if unique.len() == names.len() {
                prop_assert_eq!(result.unwrap().len(), names.len());
            } else {
                let err = result.unwrap_err();
                prop_assert!(zip_reason(&err).1.contains("appears twice"));
            }
        }
    }

    #[test]
    fn a_dict_of_many_distinct_arrays_reads_in_order() {
        let w = parse_pickle_weights(&many_key_pickle(2000), pkl()).unwrap();
        assert_eq!(w.len(), 2000);
        assert_eq!(w.names().nth(1234), Some("a1234"));
        assert_eq!(w.vector("a1999").unwrap(), array![1999.0]);
    }
}
