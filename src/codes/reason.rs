//! OpenSSL's `ERR_LIB_SSL` reason codes, their texts, and how rustls' errors map onto them.

use std::os::raw::c_int;
use std::sync::OnceLock;

use rustls::{
    AlertDescription, CertificateError, Error, InvalidMessage, PeerIncompatible, PeerMisbehaved,
};

pub const SSL_R_BAD_LENGTH: c_int = 271;
pub const SSL_R_PRIVATE_KEY_MISMATCH: c_int = 288;
pub const SSL_R_NOT_REPLACING_CERTIFICATE: c_int = 289;
pub const SSL_R_ERROR_IN_RECEIVED_CIPHER_LIST: c_int = 151;
pub const SSL_R_NO_CIPHERS_SPECIFIED: c_int = 183;
pub const SSL_R_SSL_SESSION_ID_CONTEXT_TOO_LONG: c_int = 273;
pub const SSL_R_EXTENSION_NOT_RECEIVED: c_int = 279;
pub const SSL_R_BAD_VALUE: c_int = 384;
pub const SSL_R_CERT_CB_ERROR: c_int = 377;
pub const SSL_R_WRONG_SSL_VERSION: c_int = 266;
pub const SSL_R_NOT_SERVER: c_int = 284;
pub const SSL_R_STILL_IN_INIT: c_int = 121;
pub const SSL_R_REQUEST_PENDING: c_int = 285;
pub const SSL_R_REQUEST_SENT: c_int = 286;
pub const SSL_R_INVALID_CONFIG: c_int = 283;
pub const SSL_R_CLIENTHELLO_TLSEXT: c_int = 226;
pub const SSL_R_BIO_NOT_SET: c_int = 128;
pub const SSL_R_BAD_WRITE_RETRY: c_int = 127;
pub const SSL_R_CERTIFICATE_VERIFY_FAILED: c_int = 134;
pub const SSL_R_CONNECTION_TYPE_NOT_SET: c_int = 144;
pub const SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC: c_int = 281;
pub const SSL_R_HTTP_REQUEST: c_int = 156;
pub const SSL_R_INVALID_COMMAND: c_int = 280;
pub const SSL_R_NO_CIPHER_MATCH: c_int = 185;
pub const SSL_R_NO_CIPHERS_AVAILABLE: c_int = 181;
pub const SSL_R_HTTPS_PROXY_REQUEST: c_int = 155;
pub const SSL_R_LENGTH_MISMATCH: c_int = 159;
pub const SSL_R_NO_APPLICATION_PROTOCOL: c_int = 235;
pub const SSL_R_NO_CERTIFICATE_ASSIGNED: c_int = 177;
pub const SSL_R_NO_PRIVATE_KEY_ASSIGNED: c_int = 190;
pub const SSL_R_NO_PROTOCOLS_AVAILABLE: c_int = 191;
pub const SSL_R_NO_SHARED_CIPHER: c_int = 193;
pub const SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM: c_int = 118;
pub const SSL_R_NULL_SSL_CTX: c_int = 195;
pub const SSL_R_NULL_SSL_METHOD_PASSED: c_int = 196;
pub const SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE: c_int = 199;
pub const SSL_R_PROTOCOL_IS_SHUTDOWN: c_int = 207;
pub const SSL_R_READ_BIO_NOT_SET: c_int = 211;
pub const SSL_R_RECORD_LAYER_FAILURE: c_int = 313;
pub const SSL_R_SHUTDOWN_WHILE_IN_INIT: c_int = 407;
pub const SSL_R_UNEXPECTED_EOF_WHILE_READING: c_int = 294;
pub const SSL_R_UNEXPECTED_MESSAGE: c_int = 244;
pub const SSL_R_UNINITIALIZED: c_int = 276;
pub const SSL_R_UNKNOWN_COMMAND: c_int = 139;
pub const SSL_R_UNSUPPORTED_PROTOCOL: c_int = 258;
pub const SSL_R_WRONG_VERSION_NUMBER: c_int = 267;
pub const SSL_R_BAD_SSL_FILETYPE: c_int = 124;
pub const SSL_R_CA_MD_TOO_WEAK: c_int = 398;
pub const SSL_R_CALLBACK_FAILED: c_int = 234;
pub const SSL_R_INVALID_ALERT: c_int = 205;
pub const SSL_R_PACKET_LENGTH_TOO_LONG: c_int = 198;
pub const SSL_R_EXCESSIVE_MESSAGE_SIZE: c_int = 152;
pub const SSL_R_BAD_EXTENSION: c_int = 110;
pub const SSL_R_TOO_MUCH_EARLY_DATA: c_int = 164;
pub const SSL_R_DIGEST_CHECK_FAILED: c_int = 149;
pub const SSL_R_ALERT_REASON_OFFSET: c_int = 1000;

/// OpenSSL 3.0's reason texts for `ERR_LIB_SSL`, as its own libssl registers them.
pub fn strings() -> &'static [(c_int, &'static str)] {
    static TABLE: OnceLock<Vec<(c_int, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        include_str!("reason_strings.tsv")
            .lines()
            .filter_map(|line| {
                let (code, text) = line.split_once('\t')?;
                Some((code.parse().ok()?, text))
            })
            .collect()
    })
}

/// The reason OpenSSL reports when the peer sent us `alert`.
fn received_alert(alert: AlertDescription) -> c_int {
    SSL_R_ALERT_REASON_OFFSET + c_int::from(u8::from(alert))
}

/// The `ERR_LIB_SSL` reason for a rustls handshake or record error.
pub fn for_tls_error(err: &Error) -> c_int {
    match err {
        Error::AlertReceived(alert) => received_alert(*alert),
        Error::InvalidCertificate(_) => SSL_R_CERTIFICATE_VERIFY_FAILED,
        Error::NoCertificatesPresented => SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE,
        Error::DecryptError => SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC,
        Error::NoApplicationProtocol => SSL_R_NO_APPLICATION_PROTOCOL,
        Error::PeerIncompatible(p) => match p {
            PeerIncompatible::NoCipherSuitesInCommon | PeerIncompatible::NoKxGroupsInCommon => {
                SSL_R_NO_SHARED_CIPHER
            }
            PeerIncompatible::NoSignatureSchemesInCommon => SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM,
            PeerIncompatible::Tls12NotOffered
            | PeerIncompatible::Tls12NotOfferedOrEnabled
            | PeerIncompatible::Tls13RequiredForQuic
            | PeerIncompatible::SupportedVersionsExtensionRequired
            | PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig => SSL_R_UNSUPPORTED_PROTOCOL,
            _ => SSL_R_UNSUPPORTED_PROTOCOL,
        },
        Error::InvalidMessage(m) => match m {
            // OpenSSL checks a record's version before its type, so garbage reads as a bad version.
            InvalidMessage::InvalidContentType | InvalidMessage::UnknownProtocolVersion => {
                SSL_R_WRONG_VERSION_NUMBER
            }
            InvalidMessage::MessageTooLarge => SSL_R_PACKET_LENGTH_TOO_LONG,
            InvalidMessage::HandshakePayloadTooLarge
            | InvalidMessage::CertificatePayloadTooLarge => SSL_R_EXCESSIVE_MESSAGE_SIZE,
            // A message whose lengths do not add up, as OpenSSL's parsers report it.
            InvalidMessage::MessageTooShort
            | InvalidMessage::MissingData(_)
            | InvalidMessage::TrailingData(_) => SSL_R_LENGTH_MISMATCH,
            InvalidMessage::DuplicateExtension(_) => SSL_R_BAD_EXTENSION,
            _ => SSL_R_UNEXPECTED_MESSAGE,
        },
        Error::PeerMisbehaved(PeerMisbehaved::IllegalTlsInnerPlaintext) => SSL_R_UNEXPECTED_MESSAGE,
        Error::PeerMisbehaved(_) => SSL_R_UNEXPECTED_MESSAGE,
        Error::InappropriateMessage { .. } | Error::InappropriateHandshakeMessage { .. } => {
            SSL_R_UNEXPECTED_MESSAGE
        }
        _ => SSL_R_RECORD_LAYER_FAILURE,
    }
}

/// The rustls certificate error matching a libcrypto `X509_V_ERR_*` code, which decides
/// the alert sent to the peer.
pub fn certificate_error_for(x509_error: std::os::raw::c_long) -> CertificateError {
    use crate::libcrypto::store::codes::*;
    match x509_error {
        X509_V_ERR_CERT_HAS_EXPIRED => CertificateError::Expired,
        X509_V_ERR_CERT_NOT_YET_VALID => CertificateError::NotValidYet,
        X509_V_ERR_CERT_REVOKED => CertificateError::Revoked,
        X509_V_ERR_HOSTNAME_MISMATCH | X509_V_ERR_IP_ADDRESS_MISMATCH => {
            CertificateError::NotValidForName
        }
        X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT
        | X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
        | X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE
        | X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
        | X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN => CertificateError::UnknownIssuer,
        _ => CertificateError::BadEncoding,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_openssl_texts() {
        let t = strings();
        let find = |r| t.iter().find(|(c, _)| *c == r).map(|(_, s)| *s);
        assert_eq!(
            find(SSL_R_CERTIFICATE_VERIFY_FAILED),
            Some("certificate verify failed")
        );
        assert_eq!(
            find(SSL_R_UNEXPECTED_EOF_WHILE_READING),
            Some("unexpected eof while reading")
        );
        assert_eq!(find(1048), Some("tlsv1 alert unknown ca"));
    }

    #[test]
    fn alerts_map_to_offset_reasons() {
        let r = for_tls_error(&Error::AlertReceived(AlertDescription::HandshakeFailure));
        assert_eq!(r, 1040);
    }
}
