//! Shared by every target: reads `data` as a file named `name` through the reader the
//! scan would pick, with a small record bound so a claimed size cannot hide behind the
//! default 32 MiB. A reader may return an error; it must not panic, hang or abort.

use std::sync::Arc;

use provaudit::bytesource::MemorySource;
use provaudit::formats::sink::CollectSink;
use provaudit::formats::{self, ReadOptions, detect};

pub fn read_as(name: &str, data: &[u8]) {
    let options = ReadOptions {
        max_record_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let (format, compression) = detect::detect(name, data);
    let mut sink = CollectSink::default();
    if formats::needs_random_access(format, compression) {
        let source = Arc::new(MemorySource::new(name, data.to_vec()));
        let _ = formats::read_random_access(format, source, &options, &mut sink);
    } else if let Ok(mut input) = formats::decompress(data, compression) {
        let _ = formats::read_stream(format, &mut input, &options, &mut sink);
    }
}
