//! The optional download (`--features download`), against a small HTTP server on the
//! loopback address that serves the committed MNIST files: the real mirror is not reachable
//! from the test machines.
#![cfg(feature = "download")]

use dlfs_data::{download_mnist_from, load_mnist_raw_from, MnistError, MnistFile};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/mnist")
}

/// Serves `files` (URL path -> bytes) on 127.0.0.1 for `requests` requests; 404 otherwise.
fn serve(files: Vec<(String, Vec<u8>)>, requests: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}/", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.expect("connection");
            let mut request_line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            reader.read_line(&mut request_line).expect("request");
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).expect("header") <= 2 {
                    break;
                }
            }
            let path = request_line
                .split_whitespace()
                .nth(1)
                .unwrap_or("")
                .trim_start_matches('/');
            match files.iter().find(|(name, _)| name == path) {
                Some((_, body)) => {
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    stream.write_all(head.as_bytes()).expect("write");
                    stream.write_all(body).expect("write");
                }
                None => {
                    let head =
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
                    stream.write_all(head.as_bytes()).expect("write");
                }
            }
        }
    });
    base
}

fn mnist_files() -> Vec<(String, Vec<u8>)> {
    MnistFile::ALL
        .iter()
        .map(|name| {
            let file = format!("{name}.gz");
            let bytes = std::fs::read(committed().join(&file)).expect("committed MNIST");
            (file, bytes)
        })
        .collect()
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dlfs-download-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn downloaded_files_pass_every_check_and_equal_the_committed_ones() {
    let dir = temp_dir("ok");
    download_mnist_from(&serve(mnist_files(), 4), &dir).expect("download");
    let raw = load_mnist_raw_from(&dir).expect("checks pass");
    assert_eq!(raw.t_train[0], 5);
    for (file, bytes) in mnist_files() {
        assert_eq!(
            std::fs::read(dir.join(&file)).expect("downloaded"),
            bytes,
            "{file}"
        );
    }
    assert!(!dir.join(".download").exists());
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn a_corrupt_download_is_an_error_and_loses_nothing() {
    let dir = temp_dir("corrupt");
    let old = b"the reader's own file".to_vec();
    std::fs::write(dir.join("t10k-labels-idx1-ubyte.gz"), &old).expect("write");
    let mut files = mnist_files();
    let last = files[3].1.len() - 12;
    files[3].1[last] ^= 0xff; // inside the compressed data of the test labels
    let err = download_mnist_from(&serve(files, 4), &dir).unwrap_err();
    assert!(
        // A flipped byte may also make the stream inflate past the file's real size.
        matches!(
            err,
            MnistError::Gzip { .. } | MnistError::Checksum { .. } | MnistError::TooLarge { .. }
        ),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.join("t10k-labels-idx1-ubyte.gz")).expect("kept"),
        old
    );
    assert!(!dir.join("train-images-idx3-ubyte.gz").exists());
    assert!(!dir.join(".download").exists());
    std::fs::remove_dir_all(&dir).expect("cleanup");
}

#[test]
fn a_missing_file_on_the_server_is_a_download_error_naming_the_address() {
    let dir = temp_dir("missing");
    let base = serve(Vec::new(), 1);
    let err = download_mnist_from(&base, &dir).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, MnistError::Download { .. }), "{message}");
    assert!(
        message.contains(&format!("{base}train-images-idx3-ubyte.gz")),
        "{message}"
    );
    assert!(message.contains("404"), "{message}");
    std::fs::remove_dir_all(&dir).expect("cleanup");
}
