//! Shared by the benchmarks.
#![allow(dead_code)]

pub mod corpora;
pub mod layers;
pub mod peers;
