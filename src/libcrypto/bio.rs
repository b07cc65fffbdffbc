//! libcrypto `BIO`s as the transport under a connection.
//!
//! All of a connection's I/O goes through the application's BIOs (sockets from
//! `SSL_set_fd`, memory BIOs, BIO pairs, custom `BIO_meth_new` BIOs), so that their retry
//! flags, which `SSL_get_error` reads, are set by the BIO itself exactly as under OpenSSL.

use std::io;
use std::os::raw::{c_int, c_long, c_void};
use std::ptr::NonNull;

use super::extra;
use super::sys::{self, BIO};

const BIO_FLAGS_READ: c_int = 0x01;
const BIO_FLAGS_WRITE: c_int = 0x02;
const BIO_FLAGS_IO_SPECIAL: c_int = 0x04;
const BIO_FLAGS_SHOULD_RETRY: c_int = 0x08;
const BIO_CTRL_EOF: c_int = 2;
const BIO_CTRL_FLUSH: c_int = 11;
const BIO_C_GET_FD: c_int = 105;
const BIO_TYPE_DESCRIPTOR: c_int = 0x0100;
const BIO_NOCLOSE: c_int = 0;

extern "C" {
    fn BIO_get_retry_reason(bio: *mut BIO) -> c_int;
    fn BIO_find_type(b: *mut BIO, bio_type: c_int) -> *mut BIO;
}

/// One owned reference to a libcrypto BIO (released with `BIO_free_all`, as `SSL_free` does).
#[derive(Debug)]
pub struct Bio(NonNull<BIO>);

// SAFETY: a BIO reference may move between threads; libcrypto's reference count is atomic,
// and an SSL (with its BIOs) is used by one thread at a time by OpenSSL's contract.
unsafe impl Send for Bio {}

impl Bio {
    /// Adopts one reference that the caller owned.
    pub fn adopt(ptr: *mut BIO) -> Option<Self> {
        NonNull::new(ptr).map(Self)
    }

    /// Takes a new reference to `ptr`.
    pub fn up_ref(ptr: *mut BIO) -> Option<Self> {
        let bio = NonNull::new(ptr)?;
        // SAFETY: the pointer is a live BIO handed to us by the application.
        unsafe { extra::BIO_up_ref(bio.as_ptr()) };
        Some(Self(bio))
    }

    /// A socket BIO over `fd` that does not close it, as `SSL_set_fd` makes.
    pub fn socket(fd: c_int) -> Option<Self> {
        // SAFETY: BIO_new_socket only records the descriptor.
        Self::adopt(unsafe { sys::BIO_new_socket(fd, BIO_NOCLOSE) })
    }

    pub fn as_ptr(&self) -> *mut BIO {
        self.0.as_ptr()
    }

    pub fn read(&self, buf: &mut [u8]) -> c_int {
        let len = buf.len().min(c_int::MAX as usize) as c_int;
        // SAFETY: buf is valid for len bytes of writing.
        unsafe { sys::BIO_read(self.as_ptr(), buf.as_mut_ptr() as *mut c_void, len) }
    }

    pub fn write(&self, buf: &[u8]) -> c_int {
        let len = buf.len().min(c_int::MAX as usize) as c_int;
        // SAFETY: buf is valid for len bytes of reading.
        unsafe { sys::BIO_write(self.as_ptr(), buf.as_ptr() as *const c_void, len) }
    }

    fn test_flags(&self, flags: c_int) -> bool {
        // SAFETY: reads the BIO's flag word.
        unsafe { extra::BIO_test_flags(self.as_ptr(), flags) != 0 }
    }

    fn ctrl(&self, cmd: c_int, larg: c_long) -> c_long {
        // SAFETY: a BIO_ctrl command without a pointer argument.
        unsafe { sys::BIO_ctrl(self.as_ptr(), cmd, larg, std::ptr::null_mut()) }
    }

    pub fn should_retry(&self) -> bool {
        self.test_flags(BIO_FLAGS_SHOULD_RETRY)
    }
    pub fn should_read(&self) -> bool {
        self.test_flags(BIO_FLAGS_READ)
    }
    pub fn should_write(&self) -> bool {
        self.test_flags(BIO_FLAGS_WRITE)
    }
    pub fn should_io_special(&self) -> bool {
        self.test_flags(BIO_FLAGS_IO_SPECIAL)
    }
    pub fn retry_reason(&self) -> c_int {
        // SAFETY: reads a field of a live BIO.
        unsafe { BIO_get_retry_reason(self.as_ptr()) }
    }

    /// Marks the BIO as "retry read", as OpenSSL does when a record carried no application data.
    pub fn set_retry_read(&self) {
        // SAFETY: sets flag bits of a live BIO.
        unsafe { sys::BIO_set_flags(self.as_ptr(), BIO_FLAGS_READ | BIO_FLAGS_SHOULD_RETRY) }
    }

    pub fn eof(&self) -> bool {
        self.ctrl(BIO_CTRL_EOF, 0) > 0
    }

    pub fn flush(&self) -> c_long {
        self.ctrl(BIO_CTRL_FLUSH, 0)
    }

    /// The descriptor of the first descriptor BIO in the chain, or -1.
    pub fn fd(&self) -> c_int {
        // SAFETY: BIO_find_type walks the chain; BIO_C_GET_FD with a NULL pointer only returns it.
        unsafe {
            let b = BIO_find_type(self.as_ptr(), BIO_TYPE_DESCRIPTOR);
            if b.is_null() {
                return -1;
            }
            sys::BIO_ctrl(b, BIO_C_GET_FD, 0, std::ptr::null_mut()) as c_int
        }
    }

    /// Whether this BIO is a descriptor BIO (socket or fd) on `fd`.
    pub fn is_socket_on(&self, fd: c_int) -> bool {
        self.fd() == fd
    }
}

impl Drop for Bio {
    fn drop(&mut self) {
        // SAFETY: we own one reference.
        unsafe { sys::BIO_free_all(self.as_ptr()) }
    }
}

/// Reads TLS bytes from a BIO for rustls, mapping OpenSSL's read outcomes onto `io`:
/// data, `WouldBlock` (the BIO says retry), `Ok(0)` (end of file by `BIO_eof`), or an error.
pub struct BioReader<'a>(pub &'a Bio);

impl io::Read for BioReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf);
        if n > 0 {
            return Ok(n as usize);
        }
        if self.0.should_retry() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        if self.0.eof() {
            return Ok(0);
        }
        Err(io::Error::other("BIO_read failed"))
    }
}

/// Writes TLS bytes to a BIO for rustls; `WouldBlock` when the BIO says retry.
pub struct BioWriter<'a>(pub &'a Bio);

impl io::Write for BioWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.0.write(buf);
        if n > 0 {
            return Ok(n as usize);
        }
        if self.0.should_retry() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        Err(io::Error::other("BIO_write failed"))
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.0.flush() > 0 {
            return Ok(());
        }
        if self.0.should_retry() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        Err(io::Error::other("BIO_flush failed"))
    }
}

/// An `ASN1_TIME` as `ASN1_TIME_print` writes it (`Jan  1 00:00:00 2030 GMT`), through a
/// memory BIO; empty if libcrypto cannot print it.
///
/// # Safety
/// `t` is NULL or a live `ASN1_TIME`.
pub unsafe fn asn1_time_text(t: *const sys::ASN1_TIME) -> String {
    const BIO_CTRL_INFO: c_int = 3;
    if t.is_null() {
        return String::new();
    }
    // SAFETY: a fresh memory BIO, read through BIO_CTRL_INFO while alive, then freed.
    unsafe {
        let b = sys::BIO_new(sys::BIO_s_mem());
        if b.is_null() {
            return String::new();
        }
        let mut text = String::new();
        if sys::ASN1_TIME_print(b, t) == 1 {
            let mut data: *mut std::os::raw::c_char = std::ptr::null_mut();
            let len = sys::BIO_ctrl(b, BIO_CTRL_INFO, 0, &mut data as *mut _ as *mut c_void);
            if !data.is_null() && len > 0 {
                let bytes = std::slice::from_raw_parts(data as *const u8, len as usize);
                text = String::from_utf8_lossy(bytes).into_owned();
            }
        }
        sys::BIO_free_all(b);
        text
    }
}

extern "C" {
    fn BIO_dump_indent(
        bp: *mut BIO,
        s: *const std::os::raw::c_char,
        len: c_int,
        indent: c_int,
    ) -> c_int;
}

/// Writes libcrypto's hex dump of `bytes` to an application's BIO, indented; 1 or 0.
#[allow(clippy::not_unsafe_ptr_arg_deref)]
pub fn write_dump(bio: *mut BIO, bytes: &[u8], indent: c_int) -> c_int {
    let Ok(len) = c_int::try_from(bytes.len()) else {
        return 0;
    };
    // SAFETY: bio is a live BIO from the application; bytes is readable for len bytes.
    let n = unsafe { BIO_dump_indent(bio, bytes.as_ptr().cast(), len, indent) };
    c_int::from(n > 0 || len == 0)
}

/// Writes `text` to an application's BIO (`BIO_puts`-like); 1, or 0 if it fails.
// The pointer is the application's BIO, handed to libcrypto only.
#[allow(clippy::not_unsafe_ptr_arg_deref)]
pub fn write_text(bio: *mut BIO, text: &str) -> c_int {
    let Ok(len) = c_int::try_from(text.len()) else {
        return 0;
    };
    // SAFETY: bio is a live BIO from the application; text is readable for len bytes.
    let n = unsafe { sys::BIO_write(bio, text.as_ptr() as *const c_void, len) };
    c_int::from(n == len)
}
