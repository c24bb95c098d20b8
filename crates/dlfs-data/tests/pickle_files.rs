//! Damaged and hostile pickles (book 3.6.2's `sample_weight.pkl` format): code that would
//! run on loading is refused, and every damaged file is an error with an offset.
//!
//! The book's weight file is read from ../shared/data/ when present and never copied into
//! the repository.

use dlfs_data::{parse_pickle_weights, WeightsError};
use std::path::Path;

mod common;
use common::{book_file, fixture};

// ---- Damaged or hostile pickles ------------------------------------------------------------

fn q() -> &'static Path {
    Path::new("w.pkl")
}

#[test]
fn pickle_calling_anything_but_numpy_is_refused_not_run() {
    // pickle.dumps of an object whose __reduce__ returns (os.system, ("echo hi",)), protocol 2
    let evil = b"\x80\x02cposix\nsystem\nq\x00X\x07\x00\x00\x00echo hiq\x01\x85q\x02Rq\x03.";
    let err = parse_pickle_weights(evil, q()).unwrap_err();
    let WeightsError::ForbiddenGlobal {
        offset,
        module,
        name,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*offset, module.as_str(), name.as_str()),
        (2, "posix", "system")
    );
    assert!(
        err.to_string().contains("no code in a pickle is ever run"),
        "{err}"
    );
    // The same through STACK_GLOBAL (protocol 4)
    let evil4 = b"\x80\x04\x8c\x02os\x8c\x06system\x93.";
    let err = parse_pickle_weights(evil4, q()).unwrap_err();
    assert!(
        matches!(err, WeightsError::ForbiddenGlobal { offset: 14, .. }),
        "{err:?}"
    );
}

#[test]
fn empty_cut_and_garbage_pickles_are_pickle_errors_with_offsets() {
    let err = parse_pickle_weights(b"", q()).unwrap_err();
    assert!(
        matches!(err, WeightsError::Pickle { offset: 0, .. }),
        "{err:?}"
    );
    let good = std::fs::read(fixture("weights_protocol2.pkl")).unwrap();
    for cut in [1, 2, 40, good.len() / 2, good.len() - 1] {
        let err = parse_pickle_weights(&good[..cut], q()).unwrap_err();
        assert!(
            matches!(err, WeightsError::Pickle { .. }),
            "cut at {cut}: {err:?}"
        );
    }
    // An opcode this reader does not know: INST (`i`), protocol 0's way to build objects.
    let err = parse_pickle_weights(b"\x80\x02i", q()).unwrap_err();
    let WeightsError::Pickle { offset, reason, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*offset, 2);
    assert!(reason.contains("opcode 0x69"), "{reason}");
}

#[test]
fn pickles_that_are_not_a_dict_of_arrays_are_refused() {
    // pickle.dumps(5, protocol=2)
    let err = parse_pickle_weights(b"\x80\x02K\x05.", q()).unwrap_err();
    assert!(
        err.to_string()
            .contains("holds an int, not a dict of arrays"),
        "{err}"
    );
    // pickle.dumps({'W1': 1.5}, protocol=2)
    let err = parse_pickle_weights(
        b"\x80\x02}q\x00X\x02\x00\x00\x00W1q\x01G?\xf8\x00\x00\x00\x00\x00\x00s.",
        q(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("`W1` is a float, not a numpy array"),
        "{err}"
    );
    // An empty stack at STOP, and a MARK-less TUPLE
    assert!(matches!(
        parse_pickle_weights(b"\x80\x02.", q()),
        Err(WeightsError::Pickle { .. })
    ));
    assert!(matches!(
        parse_pickle_weights(b"\x80\x02t.", q()),
        Err(WeightsError::Pickle { .. })
    ));
}

#[test]
fn book_pickle_cut_short_is_refused_with_an_offset_inside_the_file() {
    let Some(pkl) = book_file("pkl") else {
        return;
    };
    let bytes = std::fs::read(pkl).unwrap();
    let err = parse_pickle_weights(&bytes[..100_000], q()).unwrap_err();
    let WeightsError::Pickle { offset, .. } = err else {
        panic!("{err:?}")
    };
    assert_eq!(
        offset, 610,
        "the W1 BINBYTES opcode at 610 needs more bytes than remain"
    );
}
