//! The benchmark corpora, generated deterministically, each with the event
//! count and summed data length a correct decoder must report.

pub struct Corpus {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub events: usize,
    pub data_len: usize,
}

/// About this many bytes per corpus: large enough to leave the caches, small
/// enough that the slowest peer finishes a sample in reasonable time.
const SIZE: usize = 256 * 1024;

/// A fixed list of short words, cycled with a simple LCG.
fn words() -> impl Iterator<Item = &'static str> {
    const WORDS: [&str; 16] = [
        "the", " quick", " brown", " fox", " jumps", " over", " a", " lazy", " dog", ".", "\\n",
        " Hello", ",", " world", "!", " tokens",
    ];
    let mut state = 0x2545_F491u32;
    std::iter::from_fn(move || {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        Some(WORDS[(state >> 28) as usize])
    })
}

fn build(name: &'static str, mut next: impl FnMut(&mut Vec<u8>) -> (usize, usize)) -> Corpus {
    let mut bytes = Vec::with_capacity(SIZE + 70_000);
    let (mut events, mut data_len) = (0, 0);
    while bytes.len() < SIZE {
        let (e, d) = next(&mut bytes);
        events += e;
        data_len += d;
    }
    Corpus {
        name,
        bytes,
        events,
        data_len,
    }
}

fn llm(line_end: &'static str) -> impl FnMut(&mut Vec<u8>) -> (usize, usize) {
    let mut words = words();
    move |out| {
        let data = format!(
            r#"{{"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{{"index":0,"delta":{{"content":"{}"}}}}]}}"#,
            words.next().unwrap()
        );
        out.extend_from_slice(format!("data: {data}{line_end}{line_end}").as_bytes());
        (1, data.len())
    }
}

pub fn all() -> Vec<Corpus> {
    vec![
        build("llm-tokens", llm("\n")),
        build("large-payload", |out| {
            let data: Vec<u8> = (0..64 * 1024).map(|i| b'a' + (i % 26) as u8).collect();
            out.extend_from_slice(b"data: ");
            out.extend_from_slice(&data);
            out.extend_from_slice(b"\n\n");
            (1, data.len())
        }),
        build("multiline", {
            let mut words = words();
            move |out| {
                let mut data_len = 0;
                for i in 0..16 {
                    let mut line = String::new();
                    while line.len() < 40 {
                        line.push_str(words.next().unwrap());
                    }
                    out.extend_from_slice(format!("data: {line}\n").as_bytes());
                    data_len += line.len() + usize::from(i > 0);
                }
                out.push(b'\n');
                (1, data_len)
            }
        }),
        build("full-fields", {
            let mut words = words();
            let mut n = 0u64;
            move |out| {
                n += 1;
                if n.is_multiple_of(10) {
                    out.extend_from_slice(b": ping\n\n");
                }
                let data = format!("{{\"seq\":{n},\"text\":\"{}\"}}", words.next().unwrap());
                out.extend_from_slice(
                    format!("id: {n}\nevent: update\nretry: 3000\ndata: {data}\n\n").as_bytes(),
                );
                (1, data.len())
            }
        }),
        build("crlf", llm("\r\n")),
        build("tiny", |out| {
            out.extend_from_slice(b"data: x\n\n");
            (1, 1)
        }),
        build("keepalive", |out| {
            out.extend_from_slice(b": keep-alive\n");
            (0, 0)
        }),
    ]
}
