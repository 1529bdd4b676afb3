//! Placeholder
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(any(feature = "std", test))]
extern crate std;

pub mod decode;
pub mod encode;
mod error;
mod line;
pub mod text;

pub use error::{BufferTooSmall, Error, ErrorKind};
