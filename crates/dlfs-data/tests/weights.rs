//! Weight files: the book's pickle and npz (book 3.6.2), numpy-written fixtures, our own
//! writer, and every way a damaged file is reported.
//!
//! The fixtures in tests/fixtures/ were written by numpy itself (make_fixtures.py there);
//! their values are `np.arange` by construction. The book's weight files are read from
//! ../shared/data/ when present and never copied into the repository.

use dlfs::ndarray::{array, s, Array1, Array2, ArrayD, Axis, IxDyn};
use dlfs::OutputLayer;
use dlfs_data::{
    load_mnist, load_network, parse_npz, parse_pickle_weights, read_npz, read_pickle_weights,
    read_weights, write_npz, MnistOptions, WeightFile, WeightsError,
};
use std::path::{Path, PathBuf};

mod common;
use common::{book_file, fixture};

fn temp_file(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("dlfs-data-test-{}-{name}", std::process::id()))
}

fn arange(n: usize) -> Vec<f64> {
    (0..n).map(|i| i as f64).collect()
}

/// The arrays make_fixtures.py writes.
fn expected_fixture_arrays() -> Vec<(&'static str, ArrayD<f64>)> {
    vec![
        (
            "W1",
            Array2::from_shape_vec((2, 3), arange(6))
                .unwrap()
                .into_dyn(),
        ),
        ("b1", array![0.5, -1.25].into_dyn()),
        ("big", array![1.5, 2.5].into_dyn()),
        ("scalar", ArrayD::from_elem(IxDyn(&[]), 3.0)),
        (
            "cube",
            ArrayD::from_shape_vec(IxDyn(&[2, 3, 4]), arange(24)).unwrap(),
        ),
    ]
}

fn assert_same(file: &WeightFile, expected: &[(&str, ArrayD<f64>)]) {
    let names: Vec<&str> = file.names().collect();
    let expected_names: Vec<&str> = expected.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, expected_names);
    for (name, a) in expected {
        assert_eq!(file.get(name).unwrap(), a, "array {name}");
    }
}

// ---- numpy's own files ----------------------------------------------------------------

#[test]
fn numpy_savez_with_fortran_big_endian_and_0d_arrays_reads_exactly() {
    let w = read_npz(fixture("savez.npz")).unwrap();
    assert_same(&w, &expected_fixture_arrays());
    assert!(w.get("cube").unwrap().is_standard_layout());
    assert_eq!(w.origin(), Some(fixture("savez.npz").as_path()));
}

#[test]
fn numpy_savez_compressed_deflate_entries_read_exactly() {
    let w = read_npz(fixture("savez_compressed.npz")).unwrap();
    assert_same(&w, &expected_fixture_arrays());
}

#[test]
fn numpy_pickles_of_protocols_2_4_and_5_read_exactly() {
    let expected = &expected_fixture_arrays()[..2];
    for protocol in [2, 4, 5] {
        let w = read_pickle_weights(fixture(&format!("weights_protocol{protocol}.pkl")))
            .unwrap_or_else(|e| panic!("protocol {protocol}: {e}"));
        assert_same(&w, expected);
    }
}

// ---- The book's files -------------------------------------------------------------------

#[test]
fn book_pickle_and_npz_hold_the_same_arrays_of_the_books_shapes() {
    let (Some(pkl), Some(npz)) = (book_file("pkl"), book_file("npz")) else {
        return;
    };
    let from_pkl = read_pickle_weights(&pkl).unwrap();
    let from_npz = read_npz(&npz).unwrap();
    let shapes = [
        ("W1", vec![784, 50]),
        ("b1", vec![50]),
        ("W2", vec![50, 100]),
        ("b2", vec![100]),
        ("W3", vec![100, 10]),
        ("b3", vec![10]),
    ];
    for (name, shape) in &shapes {
        assert_eq!(
            from_pkl.get(name).unwrap().shape(),
            &shape[..],
            "{name} (pkl)"
        );
        assert_eq!(
            from_pkl.get(name),
            from_npz.get(name),
            "{name}: pkl and npz differ"
        );
    }
    assert_eq!(from_pkl.len(), 6);
    assert_eq!(from_npz.len(), 6);
    // The arrays are float32 in both files: every value survives a round trip through f32.
    for (_, a) in from_pkl.iter() {
        assert!(a.iter().all(|&v| f64::from(v as f32) == v));
    }
}

#[test]
fn book_weights_score_0_9352_on_the_test_set_one_by_one_and_in_batches() {
    let Some(pkl) = book_file("pkl") else {
        return;
    };
    let network = load_network(&pkl).unwrap();
    assert_eq!(network.output, OutputLayer::Softmax);
    let mnist = load_mnist(MnistOptions::default()).unwrap();
    let (x, t) = (mnist.x_test.flat().unwrap(), mnist.t_test.digits().unwrap());
    let argmax = |y: Array1<f64>| {
        let mut best = 0;
        for (k, &v) in y.iter().enumerate() {
            if v > y[best] {
                best = k;
            }
        }
        best
    };

    // Book 3.6.2: for i in range(len(x)): p = np.argmax(predict(network, x[i]))
    let mut accuracy_cnt = 0;
    for (i, xi) in x.outer_iter().enumerate() {
        if argmax(network.predict_one(&xi)) == t[i] {
            accuracy_cnt += 1;
        }
    }
    assert_eq!(accuracy_cnt as f64 / x.nrows() as f64, 0.9352);

    // Book 3.6.3: batch_size = 100
    let batch_size = 100;
    let mut accuracy_cnt = 0;
    for i in (0..x.nrows()).step_by(batch_size) {
        let y_batch = network.predict(&x.slice(s![i..i + batch_size, ..]));
        for (k, y) in y_batch.axis_iter(Axis(0)).enumerate() {
            if argmax(y.to_owned()) == t[i + k] {
                accuracy_cnt += 1;
            }
        }
    }
    assert_eq!(accuracy_cnt as f64 / x.nrows() as f64, 0.9352);

    // The same through dlfs's accuracy and the npz copy of the weights.
    assert_eq!(network.accuracy(x, &mnist.t_test), 0.9352);
    if let Some(npz) = book_file("npz") {
        assert_eq!(load_network(npz).unwrap(), network);
    }
}

// ---- Writing ----------------------------------------------------------------------------

#[test]
fn npz_round_trip_keeps_names_order_shapes_and_bits() {
    let mut w = WeightFile::new();
    w.insert("W1", array![[0.1, -0.0], [f64::MIN_POSITIVE, f64::MAX]]);
    w.insert("b1", array![f64::INFINITY, 1e-310]);
    w.insert("zero_d", ArrayD::from_elem(IxDyn(&[]), -7.5));
    w.insert(
        "cube",
        ArrayD::from_shape_vec(IxDyn(&[2, 1, 3]), arange(6)).unwrap(),
    );
    w.insert("empty", Array2::<f64>::zeros((0, 4)));
    w.insert("nan", array![f64::NAN]);
    // A transposed (Fortran-layout) view is written in its logical order.
    w.insert(
        "t",
        Array2::from_shape_vec((2, 3), arange(6))
            .unwrap()
            .reversed_axes(),
    );
    let path = temp_file("round-trip.npz");
    write_npz(&path, &w).unwrap();
    let back = read_npz(&path).unwrap();
    assert_eq!(
        back.names().collect::<Vec<_>>(),
        w.names().collect::<Vec<_>>()
    );
    for ((_, a), (_, b)) in w.iter().zip(back.iter()) {
        assert_eq!(a.shape(), b.shape());
        let bits = |x: &ArrayD<f64>| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(a), bits(b));
    }
    assert_eq!(
        back.matrix("t").unwrap(),
        array![[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn written_npz_is_deterministic_and_network_round_trips() {
    let mut rng = dlfs::seeded_rng(7);
    let net = dlfs::LayeredNet::random(&[4, 3, 2], 0.1, &mut rng);
    let (a, b) = (temp_file("det-a.npz"), temp_file("det-b.npz"));
    write_npz(&a, &WeightFile::from(&net)).unwrap();
    write_npz(&b, &WeightFile::from(&net)).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(load_network(&a).unwrap(), net);
    std::fs::remove_file(&a).unwrap();
    std::fs::remove_file(&b).unwrap();
}

// ---- Building a network ------------------------------------------------------------------

fn layers(shapes: &[(&str, &[usize])]) -> WeightFile {
    let mut w = WeightFile::new();
    for (name, shape) in shapes {
        w.insert(*name, ArrayD::<f64>::zeros(IxDyn(shape)));
    }
    w
}

#[test]
fn layers_that_do_not_chain_name_both_keys_and_shapes() {
    let w = layers(&[
        ("W1", &[784, 50]),
        ("b1", &[50]),
        ("W2", &[40, 100]),
        ("b2", &[100]),
    ]);
    let err = w.to_layered_net(OutputLayer::Softmax).unwrap_err();
    assert!(
        matches!(&err, WeightsError::LayerShapes { key_a, key_b, .. } if key_a == "W1" && key_b == "W2"),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("`W1` has shape [784, 50] but `W2` has shape [40, 100]"),
        "{err}"
    );
}

#[test]
fn bias_of_the_wrong_length_is_a_layer_shape_error() {
    let w = layers(&[("W1", &[3, 2]), ("b1", &[3])]);
    let err = w.to_layered_net(OutputLayer::Identity).unwrap_err();
    assert!(
        matches!(&err, WeightsError::LayerShapes { key_b, .. } if key_b == "b1"),
        "{err:?}"
    );
}

#[test]
fn a_zero_width_layer_is_a_layer_shape_error_not_a_panic() {
    let w = layers(&[
        ("W1", &[784, 0]),
        ("b1", &[0]),
        ("W2", &[0, 10]),
        ("b2", &[10]),
    ]);
    let err = w.to_layered_net(OutputLayer::Softmax).unwrap_err();
    assert!(
        err.to_string().contains(
            "`W1` has shape [784, 0] but `b1` has shape [0]: a layer needs at least one input \
             and one unit"
        ),
        "{err}"
    );
}

#[test]
fn missing_extra_and_misshapen_arrays_are_named() {
    let err = layers(&[("W1", &[3, 2]), ("b1", &[2]), ("W2", &[2, 2])])
        .to_layered_net(OutputLayer::Softmax)
        .unwrap_err();
    assert!(
        matches!(&err, WeightsError::MissingKey { key, .. } if key == "b2"),
        "{err:?}"
    );
    let err = layers(&[])
        .to_layered_net(OutputLayer::Softmax)
        .unwrap_err();
    assert!(
        matches!(&err, WeightsError::MissingKey { key, .. } if key == "W1"),
        "{err:?}"
    );
    // A gap in the chain is a missing array, not an extra one.
    let err = layers(&[("W1", &[3, 2]), ("b1", &[2]), ("W3", &[2, 2]), ("b3", &[2])])
        .to_layered_net(OutputLayer::Softmax)
        .unwrap_err();
    assert!(
        matches!(&err, WeightsError::MissingKey { key, .. } if key == "W2"),
        "{err:?}"
    );
    let err = layers(&[("W1", &[3, 2]), ("b1", &[2]), ("W01", &[1])])
        .to_layered_net(OutputLayer::Softmax)
        .unwrap_err();
    assert!(
        matches!(&err, WeightsError::UnexpectedKey { key, .. } if key == "W01"),
        "{err:?}"
    );
    let err = layers(&[("W1", &[6]), ("b1", &[2])])
        .to_layered_net(OutputLayer::Softmax)
        .unwrap_err();
    assert!(
        matches!(&err, WeightsError::WrongRank { key, .. } if key == "W1"),
        "{err:?}"
    );
}

#[test]
fn unknown_extension_is_refused() {
    let err = read_weights("weights.h5").unwrap_err();
    assert!(
        matches!(err, WeightsError::UnknownExtension { .. }),
        "{err:?}"
    );
    let err = load_network("weights").unwrap_err();
    assert!(
        matches!(err, WeightsError::UnknownExtension { .. }),
        "{err:?}"
    );
}

// ---- Damaged npz ----------------------------------------------------------------------------

fn p() -> &'static Path {
    Path::new("w.npz")
}

/// A minimal stored-entry zip, written independently of the crate's writer.
fn zip_stored(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut dir = Vec::new();
    for (name, data) in entries {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        let offset = out.len() as u32;
        let fields = |v: &mut Vec<u8>| {
            for x in [20u16, 0, 0, 0, 0x21] {
                v.extend_from_slice(&x.to_le_bytes());
            }
            for x in [crc.sum(), data.len() as u32, data.len() as u32] {
                v.extend_from_slice(&x.to_le_bytes());
            }
            v.extend_from_slice(&(name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        fields(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        dir.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        dir.extend_from_slice(&20u16.to_le_bytes());
        fields(&mut dir);
        dir.extend_from_slice(&[0; 6]); // comment length, disk, internal attributes
        dir.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        dir.extend_from_slice(&offset.to_le_bytes());
        dir.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&dir);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    let n = entries.len() as u16;
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&n.to_le_bytes());
    out.extend_from_slice(&(dir.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn npy(descr: &str, fortran: bool, shape: &str, data: &[u8]) -> Vec<u8> {
    let header = format!(
        "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}\n",
        if fortran { "True" } else { "False" }
    );
    let mut b = b"\x93NUMPY\x01\x00".to_vec();
    b.extend_from_slice(&(header.len() as u16).to_le_bytes());
    b.extend_from_slice(header.as_bytes());
    b.extend_from_slice(data);
    b
}

fn f8(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn hand_built_npz_reads_and_fortran_order_is_honoured() {
    let w = parse_npz(
        &zip_stored(&[(
            "a.npy",
            &npy("<f8", true, "(2, 2)", &f8(&[1.0, 2.0, 3.0, 4.0])),
        )]),
        p(),
    )
    .unwrap();
    // Column-major 1 2 3 4 is [[1, 3], [2, 4]].
    assert_eq!(w.matrix("a").unwrap(), array![[1.0, 3.0], [2.0, 4.0]]);
}

#[test]
fn empty_and_non_zip_files_are_zip_errors() {
    for bytes in [&b""[..], b"hello", &[0u8; 100][..]] {
        let err = parse_npz(bytes, p()).unwrap_err();
        assert!(matches!(err, WeightsError::Zip { .. }), "{err:?}");
    }
}

#[test]
fn cut_npz_is_a_zip_error() {
    let bytes = std::fs::read(fixture("savez.npz")).unwrap();
    for cut in [bytes.len() - 1, bytes.len() - 30, bytes.len() / 2, 10] {
        let err = parse_npz(&bytes[..cut], p()).unwrap_err();
        assert!(
            matches!(err, WeightsError::Zip { .. }),
            "cut at {cut}: {err:?}"
        );
    }
}

#[test]
fn flipped_byte_in_stored_data_is_a_crc_error_at_its_entry() {
    let entry = npy("<f8", false, "(1,)", &f8(&[1.0]));
    let mut bytes = zip_stored(&[("a.npy", &entry)]);
    let last_data_byte = 30 + 5 + entry.len() - 1; // local header, name, then the entry
    bytes[last_data_byte] ^= 0x40;
    let err = parse_npz(&bytes, p()).unwrap_err();
    let WeightsError::Zip { offset, reason, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        *offset, 35,
        "the entry's data starts after the 30-byte header and its name"
    );
    assert!(reason.contains("CRC-32 mismatch"), "{reason}");
}

#[test]
fn corrupt_deflate_data_is_a_zip_error() {
    let mut bytes = std::fs::read(fixture("savez_compressed.npz")).unwrap();
    // The first entry's compressed data starts after its local header (30 bytes + name + extra).
    let name_len = u16::from_le_bytes([bytes[26], bytes[27]]) as usize;
    let extra_len = u16::from_le_bytes([bytes[28], bytes[29]]) as usize;
    let start = 30 + name_len + extra_len;
    for b in &mut bytes[start..start + 8] {
        *b = 0xFF;
    }
    let err = parse_npz(&bytes, p()).unwrap_err();
    assert!(matches!(err, WeightsError::Zip { .. }), "{err:?}");
}

#[test]
fn unsupported_dtype_is_an_npy_error_naming_entry_and_offset() {
    let bytes = zip_stored(&[("W1.npy", &npy("<i8", false, "(1,)", &1i64.to_le_bytes()))]);
    let err = parse_npz(&bytes, p()).unwrap_err();
    let WeightsError::Npy {
        entry,
        offset,
        reason,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(entry, "W1.npy");
    assert_eq!(
        *offset, 20,
        "the descr value starts at byte 20 of the .npy data"
    );
    assert!(reason.contains("`<i8` is not supported"), "{reason}");
    assert!(
        err.to_string()
            .starts_with("w.npz: entry `W1.npy`, byte 20"),
        "{err}"
    );
}

#[test]
fn npy_data_shorter_or_longer_than_its_shape_is_an_npy_error() {
    let short = zip_stored(&[("a.npy", &npy("<f8", false, "(3,)", &f8(&[1.0, 2.0])))]);
    let err = parse_npz(&short, p()).unwrap_err();
    assert!(
        matches!(&err, WeightsError::Npy { reason, .. } if reason.contains("truncated")),
        "{err:?}"
    );
    let long = zip_stored(&[("a.npy", &npy("<f8", false, "(1,)", &f8(&[1.0, 2.0])))]);
    let err = parse_npz(&long, p()).unwrap_err();
    assert!(
        matches!(&err, WeightsError::Npy { reason, .. } if reason.contains("unexpected bytes")),
        "{err:?}"
    );
    let huge = zip_stored(&[(
        "a.npy",
        &npy("<f8", false, "(99999999999, 99999999999)", &[]),
    )]);
    assert!(matches!(
        parse_npz(&huge, p()),
        Err(WeightsError::Npy { .. })
    ));
}

#[test]
fn malformed_npy_headers_are_npy_errors() {
    let cases: [Vec<u8>; 5] = [
        b"not npy at all".to_vec(),
        npy("<f8", false, "(1,", &f8(&[1.0])),
        b"\x93NUMPY\x01\x00\xff\x00{'descr'".to_vec(),
        b"\x93NUMPY\x09\x00\x10\x00{}              ".to_vec(),
        npy("<f8", false, "[1]", &f8(&[1.0])),
    ];
    for npy_bytes in &cases {
        let err = parse_npz(&zip_stored(&[("a.npy", npy_bytes)]), p()).unwrap_err();
        assert!(matches!(err, WeightsError::Npy { .. }), "{err:?}");
    }
    let header = "{'descr': '<f8', 'fortran_order': False}\n";
    let mut no_shape = b"\x93NUMPY\x01\x00".to_vec();
    no_shape.extend_from_slice(&(header.len() as u16).to_le_bytes());
    no_shape.extend_from_slice(header.as_bytes());
    let err = parse_npz(&zip_stored(&[("a.npy", &no_shape)]), p()).unwrap_err();
    assert!(
        err.to_string().contains("the key `shape` is missing"),
        "{err}"
    );
}

#[test]
fn unreadable_and_unwritable_paths_are_io_errors() {
    let err = read_npz("/no/such/dir/w.npz").unwrap_err();
    assert!(
        matches!(err, WeightsError::Io { action: "read", .. }),
        "{err:?}"
    );
    let err = write_npz("/no/such/dir/w.npz", &WeightFile::new()).unwrap_err();
    assert!(
        matches!(
            err,
            WeightsError::Io {
                action: "write",
                ..
            }
        ),
        "{err:?}"
    );
}

/// The name a pickle parsed from bytes is reported under.
fn q() -> &'static Path {
    Path::new("w.pkl")
}

// ---- Random bytes ------------------------------------------------------------------------------

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = parse_npz(&bytes, p());
            let _ = parse_pickle_weights(&bytes, q());
        }

        #[test]
        fn mutated_numpy_files_never_panic(
            which in 0usize..5,
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4),
            cut in any::<usize>(),
        ) {
            let name = ["savez.npz", "savez_compressed.npz", "weights_protocol2.pkl",
                        "weights_protocol4.pkl", "weights_protocol5.pkl"][which];
            let mut bytes = std::fs::read(fixture(name)).unwrap();
            for &(at, value) in &edits {
                let i = at % bytes.len();
                bytes[i] = value;
            }
            let keep = bytes.len() - cut % (bytes.len() / 4 + 1);
            let bytes = &bytes[..keep];
            if which < 2 {
                let _ = parse_npz(bytes, p());
            } else {
                let _ = parse_pickle_weights(bytes, q());
            }
        }
    }
}
