//! Text that reaches deep into parsers: arbitrary Unicode, and strings glued together from
//! the tokens a grammar cares about (so random input is not refused at the first byte).

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Numbers and dates at and past every edge a parser may meet.
pub const EDGE_VALUES: &[&str] = &[
    "",
    " ",
    "0",
    "1",
    "-1",
    "+1",
    "01",
    "2",
    "25",
    "200",
    "201",
    "1000000",
    "2147483647",
    "2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999999",
    "1e309",
    "-1e309",
    "1.5",
    "NaN",
    "inf",
    "-0",
    "0x10",
    " 7 ",
    "2026-11-02",
    "2026-02-29",
    "2024-02-29",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "9999-12-31",
    "9999-12-30",
    "-999-01-01",
    "+10000-01-01",
    "1970-01-01",
    "2026-11-02T09:00:00Z",
    "2026-11-02T25:61:61+99:99",
    "9999-12-31T23:59:59Z",
    "2026-W53",
    "2026-11",
    "0-0",
    "1-",
    "-",
    "true",
    "false",
    "null",
    "%00",
    "\u{0}",
    "\u{feff}",
    "é",
    "🙂",
    "a\nb",
    "../../etc/passwd",
];

/// A value from [`EDGE_VALUES`], any short string, or a number printed as text.
pub fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(EDGE_VALUES).prop_map(str::to_owned),
        2 => any::<String>().prop_map(|s| s.chars().take(60).collect()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => (select(EDGE_VALUES), select(EDGE_VALUES)).prop_map(|(a, b)| format!("{a}{b}")),
    ]
}

/// Up to `max` tokens glued together, mixed with arbitrary characters.
pub fn glued(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => select(tokens).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
        1 => select(EDGE_VALUES).prop_map(str::to_owned),
    ];
    prop_oneof![
        8 => vec(piece, 0..max).prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

/// Bytes: mostly text built from `tokens`, sometimes any bytes at all.
pub fn glued_bytes(tokens: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        6 => glued(tokens, max).prop_map(String::into_bytes),
        1 => vec(any::<u8>(), 0..400),
    ]
}
