// Reads the reportable facts out of an X509 certificate (subject, issuer, SANs, validity).
// OpenSSL's X509 is only forward-declared here. Pure; thread-compatible.
#pragma once

#include "probe/certificate.h"

struct x509_st;  // X509

namespace mtasts::probe {

CertificateFacts ReadCertificate(const x509_st* cert);

}  // namespace mtasts::probe
