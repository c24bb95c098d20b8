//! MNIST as the book loads it (book 3.6.1), and every way a damaged file is reported.
//!
//! Expected facts come from the data set's documentation and the book
//! (../shared/data/README.md, ../shared/reference/book_values.md), not from this crate.

use dlfs::ndarray::Axis;
use dlfs_data::{idx, load_mnist, load_mnist_from, load_mnist_raw, Images, Labels};
use dlfs_data::{MnistError, MnistOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Test-set images per digit 0-9, as published for MNIST.
const TEST_COUNTS: [usize; 10] = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

const NAMES: [&str; 4] = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
];

fn repo_mnist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist")
}

/// A fresh, empty folder for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dlfs-data-test-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// IDX images file bytes: `n` images of `rows` x `cols`, pixel value = image index.
fn images_bytes(n: u32, rows: u32, cols: u32) -> Vec<u8> {
    let mut b = Vec::new();
    for v in [2051, n, rows, cols] {
        b.extend_from_slice(&u32::to_be_bytes(v));
    }
    for i in 0..n {
        b.extend(std::iter::repeat_n(i as u8, (rows * cols) as usize));
    }
    b
}

/// IDX labels file bytes.
fn labels_bytes(labels: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&2049u32.to_be_bytes());
    b.extend_from_slice(&(labels.len() as u32).to_be_bytes());
    b.extend_from_slice(labels);
    b
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// A folder of four small, well-formed (but not MNIST) uncompressed files.
fn small_valid_set(dir: &Path) {
    write(dir, NAMES[0], &images_bytes(3, 28, 28));
    write(dir, NAMES[1], &labels_bytes(&[5, 0, 4]));
    write(dir, NAMES[2], &images_bytes(2, 28, 28));
    write(dir, NAMES[3], &labels_bytes(&[7, 2]));
}

fn p() -> &'static Path {
    Path::new("test.idx")
}

// ---- The real data set ---------------------------------------------------------------

#[test]
fn default_options_give_the_books_shapes_labels_and_pixels() {
    let mnist = load_mnist(MnistOptions::default()).unwrap();
    let (x_train, t_train) = (
        mnist.x_train.flat().unwrap(),
        mnist.t_train.digits().unwrap(),
    );
    let (x_test, t_test) = (mnist.x_test.flat().unwrap(), mnist.t_test.digits().unwrap());
    assert_eq!(x_train.shape(), &[60000, 784]);
    assert_eq!(t_train.shape(), &[60000]);
    assert_eq!(x_test.shape(), &[10000, 784]);
    assert_eq!(t_test.shape(), &[10000]);
    assert_eq!(t_train[0], 5, "book 3.6.1: x_train[0] is a 5");
    assert_eq!(t_test[0], 7, "the first test image is a 7");
    let mut counts = [0usize; 10];
    for &t in t_test {
        counts[t] += 1;
    }
    assert_eq!(counts, TEST_COUNTS);

    // normalize=True is x / 255.0 of the stored bytes, exactly.
    let raw = load_mnist_raw().unwrap();
    assert_eq!(raw.x_train.shape(), &[60000, 28, 28]);
    assert_eq!(raw.t_test.len(), 10000);
    for (row, img) in x_test
        .outer_iter()
        .zip(raw.x_test.outer_iter())
        .step_by(997)
    {
        for (&x, &p) in row.iter().zip(img.iter()) {
            assert_eq!(x, f64::from(p) / 255.0);
        }
    }
    assert_eq!(x_train.fold(f64::MAX, |m, &v| m.min(v)), 0.0);
    assert_eq!(x_train.fold(f64::MIN, |m, &v| m.max(v)), 1.0);
    assert!(raw
        .t_train
        .iter()
        .zip(t_train)
        .all(|(&r, &t)| usize::from(r) == t));
}

#[test]
fn unflattened_one_hot_unnormalized_options_give_the_books_other_forms() {
    let options = MnistOptions {
        normalize: false,
        flatten: false,
        one_hot_label: true,
    };
    let mnist = load_mnist(options).unwrap();
    let x_train = mnist.x_train.image().unwrap();
    assert_eq!(x_train.shape(), &[60000, 1, 28, 28]);
    assert_eq!(mnist.x_test.image().unwrap().shape(), &[10000, 1, 28, 28]);
    assert_eq!(x_train.fold(f64::MIN, |m, &v| m.max(v)), 255.0);
    assert!(x_train
        .iter()
        .all(|&v| v == v.round() && (0.0..=255.0).contains(&v)));

    let t_test = mnist.t_test.one_hot().unwrap();
    assert_eq!(t_test.shape(), &[10000, 10]);
    assert_eq!(mnist.t_train.one_hot().unwrap().shape(), &[60000, 10]);
    assert!(t_test.rows().into_iter().all(|r| r.sum() == 1.0));
    let per_digit = t_test.sum_axis(Axis(0));
    let expected: Vec<f64> = TEST_COUNTS.iter().map(|&c| c as f64).collect();
    assert_eq!(per_digit.to_vec(), expected);
    assert_eq!(t_test[[0, 7]], 1.0);
    assert_eq!(mnist.t_train.label(0), 5);

    // The forms not asked for are explained, not reshaped.
    let err = mnist.x_train.flat().unwrap_err();
    assert!(matches!(err, MnistError::WrongLayout { .. }));
    assert!(err.to_string().contains("flatten: true"), "{err}");
    let err = mnist.t_test.digits().unwrap_err();
    assert!(err.to_string().contains("one_hot_label: false"), "{err}");
}

#[test]
fn uncompressed_files_of_the_same_names_are_accepted() {
    let dir = temp_dir("plain");
    for name in &NAMES[..3] {
        let gz = format!("{name}.gz");
        std::os::unix::fs::symlink(repo_mnist().join(&gz), dir.join(&gz)).unwrap();
    }
    let gz = std::fs::read(repo_mnist().join("t10k-labels-idx1-ubyte.gz")).unwrap();
    let plain = idx::gunzip(&gz, Path::new("t10k-labels-idx1-ubyte.gz")).unwrap();
    write(&dir, NAMES[3], &plain);
    let mnist = load_mnist_from(&dir, MnistOptions::default()).unwrap();
    assert_eq!(mnist.t_test.label(0), 7);
    assert_eq!(mnist.x_test.len(), 10000);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn labels_convert_into_dlfs_targets() {
    let digits = Labels::Digits(dlfs::ndarray::array![7, 2, 1]);
    let t = dlfs::Targets::from(&digits);
    assert_eq!((t.len(), t.label(0), t.label(2)), (3, 7, 1));
    let one_hot = Labels::OneHot(dlfs::one_hot(&[7, 2, 1], 10));
    let t = dlfs::Targets::from(&one_hot);
    assert_eq!((t.len(), t.label(0), t.label(2)), (3, 7, 1));
}

#[test]
fn images_report_their_count_in_either_form() {
    let flat = Images::Flat(dlfs::ndarray::Array2::zeros((4, 784)));
    let image = Images::Image(dlfs::ndarray::Array4::zeros((4, 1, 28, 28)));
    assert_eq!((flat.len(), image.len()), (4, 4));
    assert_eq!(image.view().shape(), &[4, 1, 28, 28]);
}

// ---- Damaged files: each gives its own error, none panics -----------------------------

#[test]
fn missing_file_says_how_to_restore_it() {
    let dir = temp_dir("missing");
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    let MnistError::MissingFile { path } = &err else {
        panic!("expected MissingFile, got {err:?}")
    };
    assert_eq!(path, &dir.join("train-images-idx3-ubyte.gz"));
    assert!(
        err.to_string().contains("git checkout -- data/mnist/"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn empty_gz_file_is_reported_as_empty() {
    let dir = temp_dir("empty");
    write(&dir, "train-images-idx3-ubyte.gz", b"");
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(
        matches!(&err, MnistError::Empty { path } if path.ends_with("train-images-idx3-ubyte.gz")),
        "{err:?}"
    );
    assert!(matches!(
        idx::parse_labels(b"", p()),
        Err(MnistError::Empty { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn corrupt_gzip_is_a_gzip_error() {
    let mut gz = gzip(&labels_bytes(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0]));
    let middle = gz.len() / 2;
    gz[middle] ^= 0xFF;
    gz[middle + 1] ^= 0xFF;
    let err = idx::gunzip(&gz, Path::new("x.gz")).unwrap_err();
    assert!(matches!(err, MnistError::Gzip { .. }), "{err:?}");

    let dir = temp_dir("corrupt-gz");
    write(
        &dir,
        "train-images-idx3-ubyte.gz",
        b"\x1f\x8b\x08\x00garbage garbage garbage",
    );
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(matches!(err, MnistError::Gzip { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(&format!(
            "{}: not valid gzip",
            dir.join("train-images-idx3-ubyte.gz").display()
        )),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn truncated_gzip_is_a_gzip_error() {
    let gz = std::fs::read(repo_mnist().join("t10k-labels-idx1-ubyte.gz")).unwrap();
    let err = idx::gunzip(&gz[..gz.len() / 2], Path::new("t.gz")).unwrap_err();
    assert!(matches!(err, MnistError::Gzip { .. }), "{err:?}");
    // Cut inside the 8-byte trailer: the data is all there, the CRC/size check is not.
    let err = idx::gunzip(&gz[..gz.len() - 3], Path::new("t.gz")).unwrap_err();
    assert!(matches!(err, MnistError::Gzip { .. }), "{err:?}");
}

#[test]
fn gzip_that_inflates_past_any_mnist_size_is_refused() {
    // 65 MiB of zeros compress to about 65 KiB.
    let bomb = gzip(&vec![0u8; 65 << 20]);
    let err = idx::gunzip(&bomb, Path::new("bomb.gz")).unwrap_err();
    assert!(matches!(err, MnistError::TooLarge { .. }), "{err:?}");
}

#[test]
fn wrong_magic_names_both_numbers() {
    let err = idx::parse_images(&labels_bytes(&[1, 2]), p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::BadMagic {
                expected: 2051,
                found: 2049,
                ..
            }
        ),
        "{err:?}"
    );
    let err = idx::parse_labels(&images_bytes(1, 28, 28), p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::BadMagic {
                expected: 2049,
                found: 2051,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("expected 2049 (a labels file), found 2051"),
        "{err}"
    );
}

#[test]
fn header_cut_short_is_truncated() {
    let err = idx::parse_images(&images_bytes(1, 28, 28)[..10], p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::Truncated {
                expected: 16,
                found: 10,
                ..
            }
        ),
        "{err:?}"
    );
    let err = idx::parse_labels(&[0, 0, 8, 1, 0], p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::Truncated {
                expected: 8,
                found: 5,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn count_larger_than_the_data_is_truncated() {
    let mut bytes = images_bytes(2, 28, 28);
    bytes[7] = 3; // header claims 3 images, 2 follow
    let err = idx::parse_images(&bytes, p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::Truncated {
                expected: 2368,
                found: 1584,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("3 images of 28x28"), "{err}");

    let mut bytes = labels_bytes(&[1, 2, 3]);
    bytes[4..8].copy_from_slice(&u32::MAX.to_be_bytes()); // absurd count: no overflow, no panic
    let err = idx::parse_labels(&bytes, p()).unwrap_err();
    assert!(
        matches!(err, MnistError::Truncated { found: 11, .. }),
        "{err:?}"
    );
}

#[test]
fn trailing_bytes_are_reported() {
    let mut bytes = images_bytes(1, 28, 28);
    bytes.extend_from_slice(&[0, 0, 0]);
    let err = idx::parse_images(&bytes, p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::TrailingBytes {
                expected: 800,
                found: 803,
                ..
            }
        ),
        "{err:?}"
    );
    let mut bytes = labels_bytes(&[1, 2]);
    bytes.push(3);
    assert!(matches!(
        idx::parse_labels(&bytes, p()),
        Err(MnistError::TrailingBytes { .. })
    ));
}

#[test]
fn images_that_are_not_28x28_are_bad_dims() {
    let err = idx::parse_images(&images_bytes(1, 32, 32), p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::BadDims {
                rows: 32,
                cols: 32,
                ..
            }
        ),
        "{err:?}"
    );
    let err = idx::parse_images(&images_bytes(2, 28, 27), p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::BadDims {
                rows: 28,
                cols: 27,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn label_above_9_names_sample_and_offset() {
    let err = idx::parse_labels(&labels_bytes(&[3, 9, 10, 4]), p()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::BadLabel {
                index: 2,
                offset: 10,
                value: 10,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("label 10 of sample 2 (offset 10)"),
        "{err}"
    );
}

#[test]
fn images_and_labels_of_different_counts_are_a_mismatch() {
    let dir = temp_dir("mismatch");
    small_valid_set(&dir);
    write(&dir, NAMES[3], &labels_bytes(&[7, 2, 1])); // 2 test images, 3 labels
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(
        matches!(
            err,
            MnistError::CountMismatch {
                images: 2,
                labels: 3,
                ..
            }
        ),
        "{err:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn well_formed_files_that_are_not_mnist_fail_the_checksum() {
    let dir = temp_dir("checksum");
    small_valid_set(&dir);
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    let MnistError::Checksum { path, expected, .. } = &err else {
        panic!("expected Checksum, got {err:?}")
    };
    assert_eq!(path, &dir.join(NAMES[0]));
    assert_eq!(
        *expected,
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    );
    let raw = dlfs_data::load_mnist_raw_from(&dir).unwrap_err();
    assert!(matches!(raw, MnistError::Checksum { .. }), "{raw:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn one_changed_label_in_the_real_file_fails_the_checksum() {
    let dir = temp_dir("one-label");
    for name in &NAMES[..3] {
        let gz = format!("{name}.gz");
        std::os::unix::fs::symlink(repo_mnist().join(&gz), dir.join(&gz)).unwrap();
    }
    let gz = std::fs::read(repo_mnist().join("t10k-labels-idx1-ubyte.gz")).unwrap();
    let mut plain = idx::gunzip(&gz, Path::new("t10k-labels-idx1-ubyte.gz")).unwrap();
    plain[8] = 1; // the first test label, a 7, now says 1: still a valid IDX file
    write(&dir, "t10k-labels-idx1-ubyte.gz", &gzip(&plain));
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(
        matches!(&err, MnistError::Checksum { path, .. } if path.ends_with("t10k-labels-idx1-ubyte.gz")),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_labels_file_in_place_of_images_is_wrong_magic_through_the_loader() {
    let dir = temp_dir("swapped");
    small_valid_set(&dir);
    write(&dir, NAMES[2], &labels_bytes(&[7, 2]));
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(
        matches!(&err, MnistError::BadMagic { path, .. } if path.ends_with(NAMES[2])),
        "{err:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_folder_in_place_of_a_file_is_reported_as_a_folder() {
    for name in ["train-images-idx3-ubyte", "train-images-idx3-ubyte.gz"] {
        let dir = temp_dir("folder");
        std::fs::create_dir(dir.join(name)).unwrap();
        let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
        assert!(
            matches!(&err, MnistError::NotAFile { path, found: "a directory" } if path.ends_with(name)),
            "{err:?}"
        );
        assert!(err.to_string().contains("found a directory"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[test]
fn a_symlink_loop_or_a_broken_link_in_place_of_a_file_is_reported_as_such() {
    let dir = temp_dir("links");
    let gz = dir.join("train-images-idx3-ubyte.gz");
    std::os::unix::fs::symlink(&gz, &gz).unwrap(); // a link to itself
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(
        matches!(&err, MnistError::Io { path, .. } if path == &gz),
        "{err:?}"
    );
    assert!(err.to_string().contains("symbolic links"), "{err}");

    std::fs::remove_file(&gz).unwrap();
    std::os::unix::fs::symlink(dir.join("nothing-here"), &gz).unwrap();
    let err = load_mnist_from(&dir, MnistOptions::default()).unwrap_err();
    assert!(
        matches!(
            &err,
            MnistError::NotAFile {
                found: "a symbolic link to nothing",
                ..
            }
        ),
        "{err:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn valid_small_files_parse_to_the_right_values() {
    let images = idx::parse_images(&images_bytes(3, 28, 28), p()).unwrap();
    assert_eq!(images.shape(), &[3, 28, 28]);
    assert_eq!((images[[0, 0, 0]], images[[2, 27, 27]]), (0, 2));
    let labels = idx::parse_labels(&labels_bytes(&[0, 9]), p()).unwrap();
    assert_eq!(labels.to_vec(), vec![0, 9]);
    let zero = idx::parse_labels(&labels_bytes(&[]), p()).unwrap();
    assert!(zero.is_empty());
}

// ---- Random bytes ------------------------------------------------------------------------

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = idx::parse_images(&bytes, p());
            let _ = idx::parse_labels(&bytes, p());
            let _ = idx::gunzip(&bytes, p());
        }

        #[test]
        fn mutated_valid_files_never_panic_and_stay_consistent(
            n in 0u32..4,
            edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..6),
            cut in any::<usize>(),
        ) {
            let mut images = images_bytes(n, 28, 28);
            let mut labels = labels_bytes(&vec![3; n as usize]);
            for &(at, value) in &edits {
                // Most edits land in the header, where the checks are.
                let i = at % 24;
                if i < images.len() { images[i] = value; }
                let j = at % 12;
                if j < labels.len() { labels[j] = value; }
            }
            let images = &images[..images.len() - cut % (images.len() + 1) / 2];
            let labels = &labels[..labels.len() - cut % (labels.len() + 1) / 2];
            if let Ok(x) = idx::parse_images(images, p()) {
                prop_assert_eq!(x.len() + 16, images.len());
            }
            if let Ok(t) = idx::parse_labels(labels, p()) {
                prop_assert_eq!(t.len() + 8, labels.len());
                prop_assert!(t.iter().all(|&l| l <= 9));
            }
            let _ = idx::gunzip(&gzip(images)[..], p()).map(|b| assert_eq!(b, images));
        }
    }
}
