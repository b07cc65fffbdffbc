//! The committed C header is what cbindgen generates from the current sources.

use std::path::Path;

#[test]
fn committed_header_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let committed_path = root.join("include/openssl/ssl.h");
    if std::env::var_os("FERROSSL_BLESS").is_some() {
        std::fs::write(&committed_path, &generated).expect("write header");
    }
    let committed = std::fs::read(&committed_path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/openssl/ssl.h is stale: run FERROSSL_BLESS=1 cargo test --release --test header"
    );
}
