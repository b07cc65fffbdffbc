//! OpenSSL's numbers and names that the ABI shares: constants (`SSL_OP_*`, `SSL_ERROR_*`,
//! ...), `ERR_LIB_SSL` reason codes with their texts, and alert names.
#![forbid(unsafe_code)]

pub mod alert;
pub mod reason;
pub mod ssl_constants;
