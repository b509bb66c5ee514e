package io.headerlog.it.l7;

/**
 * The names the test DNS server answers for. The addresses are only data in answers: nothing is
 * ever sent to them.
 */
final class TestZone {
    static final String DOMAIN = "hl.test";
    /** A and AAAA. */
    static final String SERVICE = "svc.hl.test";
    static final String SERVICE_V4 = "198.18.77.7";
    static final String SERVICE_V6 = "fd00:77::7";
    /** www → alias → svc: a CNAME chain of two links, then the address. */
    static final String WWW = "www.hl.test";
    static final String ALIAS = "alias.hl.test";
    /** Inside the zone but unknown: NXDOMAIN. */
    static final String MISSING = "nope.hl.test";
    static final int TTL = 300;

    private TestZone() {
    }
}
