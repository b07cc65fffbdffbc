//! `SSL_alert_*`: names for alert values, as OpenSSL prints them.

use std::os::raw::{c_char, c_int};

use crate::codes::alert;

#[no_mangle]
pub unsafe extern "C" fn SSL_alert_desc_string_long(value: c_int) -> *const c_char {
    alert::description_long(value).as_ptr()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_alert_desc_string(value: c_int) -> *const c_char {
    alert::description_short(value).as_ptr()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_alert_type_string_long(value: c_int) -> *const c_char {
    alert::level(value, true).as_ptr()
}

#[no_mangle]
pub unsafe extern "C" fn SSL_alert_type_string(value: c_int) -> *const c_char {
    alert::level(value, false).as_ptr()
}
