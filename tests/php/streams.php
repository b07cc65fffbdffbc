<?php
// PHP's TLS streams (ext/openssl, linked against libssl.so.3) as clients and servers on
// 127.0.0.1, printing a transcript that the test suite requires to be the same on the
// system OpenSSL and on ferrossl; the last line names the libssl the process mapped.
//
//   php streams.php PKI_DIR
$pki = $argv[1];

function server_context($pki) {
    return stream_context_create(['ssl' => [
        'local_cert' => "$pki/server-rsa.pem",
        'local_pk' => "$pki/server-rsa-key.pem",
        'alpn_protocols' => 'http/1.1',
    ]]);
}

// A TLS server and a plain one that upgrades with STARTTLS, in a child process, each
// answering with what the connection negotiated.
$tls = stream_socket_server('tls://127.0.0.1:0', $errno, $errstr,
    STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, server_context($pki));
$plain = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr,
    STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, server_context($pki));
$port = parse_url('tcp://' . stream_socket_get_name($tls, false), PHP_URL_PORT);
$plain_port = parse_url('tcp://' . stream_socket_get_name($plain, false), PHP_URL_PORT);
$pid = pcntl_fork();
if ($pid == 0) {
    $answer = function ($c) {
        $meta = stream_get_meta_data($c)['crypto'] ?? [];
        fgets($c);
        $body = sprintf('%s %s', $meta['protocol'] ?? '?', $meta['cipher_name'] ?? '?');
        fwrite($c, "HTTP/1.0 200 OK\r\nContent-Length: " . strlen($body) . "\r\n\r\n$body");
        fclose($c);
    };
    for ($i = 0; $i < 12; $i++) {
        $ready = [$tls, $plain];
        $w = $e = null;
        if (!stream_select($ready, $w, $e, 10)) break;
        foreach ($ready as $s) {
            $c = @stream_socket_accept($s, 5);
            if (!$c) continue;
            if ($s === $plain) {
                fgets($c);
                fwrite($c, "go ahead\n");
                if (!@stream_socket_enable_crypto($c, true, STREAM_CRYPTO_METHOD_TLS_SERVER)) { fclose($c); continue; }
            }
            $answer($c);
        }
    }
    exit(0);
}

function client_context($pki, $extra = []) {
    return stream_context_create(['ssl' => $extra + [
        'cafile' => "$pki/ca.pem",
        'verify_peer' => true,
        'verify_peer_name' => true,
        'peer_name' => 'localhost',
    ]]);
}

// Every warning a call raised (PHP reports OpenSSL's errors as warnings).
$warnings = [];
set_error_handler(function ($no, $message) use (&$warnings) {
    $warnings[] = preg_replace('/\s+/', ' ', preg_replace('/^[a-z_]+\(\S*\): /', '', $message));
    return true;
});

function fetch($what, $url, $ctx) {
    global $warnings;
    $warnings = [];
    $body = file_get_contents($url, false, $ctx);
    echo "$what: ", $body === false ? 'failed: ' . implode(' | ', $warnings) : $body, "\n";
}

fetch('https', "https://localhost:$port/", client_context($pki));
fetch('wrong CA', "https://localhost:$port/", client_context($pki, ['cafile' => "$pki/other-ca.pem"]));
fetch('wrong name', "https://localhost:$port/", client_context($pki, ['peer_name' => 'wrong.example']));
fetch('TLS 1.2 only', "https://localhost:$port/",
    client_context($pki, ['crypto_method' => STREAM_CRYPTO_METHOD_TLSv1_2_CLIENT]));

$c = stream_socket_client("tls://127.0.0.1:$port", $errno, $errstr, 10, STREAM_CLIENT_CONNECT,
    client_context($pki, ['capture_peer_cert' => true]));
$cert = openssl_x509_parse(stream_context_get_params($c)['options']['ssl']['peer_certificate']);
$meta = stream_get_meta_data($c)['crypto'];
fwrite($c, "GET / HTTP/1.0\r\n\r\n");
fread($c, 100);
fclose($c);
echo "capture_peer_cert: CN={$cert['subject']['CN']}, {$meta['protocol']}, alpn ",
    $meta['alpn_protocol'] ?? '(none)', "\n";

$c = stream_socket_client("tcp://127.0.0.1:$plain_port", $errno, $errstr, 10, STREAM_CLIENT_CONNECT,
    client_context($pki));
fwrite($c, "STARTTLS\n");
fgets($c);
$ok = stream_socket_enable_crypto($c, true, STREAM_CRYPTO_METHOD_TLS_CLIENT);
fwrite($c, "GET / HTTP/1.0\r\n\r\n");
$reply = stream_get_contents($c);
echo "STARTTLS upgrade: ", $ok ? 'on' : 'off', ', ', substr($reply, strpos($reply, "\r\n\r\n") + 4), "\n";
fclose($c);

posix_kill($pid, SIGTERM);
pcntl_waitpid($pid, $status);

foreach (file('/proc/self/maps') as $line) {
    if (preg_match('{\s(\S*(libssl\.so\.3|libferrossl\.so))$}', rtrim($line), $m)) {
        echo "libssl mapped: $m[1]\n";
        break;
    }
}
