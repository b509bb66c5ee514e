package io.headerlog.collector.l7;

/** Mnemonics of DNS RR types (IANA "Resource Record (RR) TYPEs"); others are "TYPE&lt;n&gt;" (RFC 3597). */
final class DnsTypes {
    static final int A = 1;
    static final int NS = 2;
    static final int CNAME = 5;
    static final int PTR = 12;
    static final int AAAA = 28;

    private static final String[] NAMES = new String[258];

    static {
        String[][] known = {
            {"1", "A"}, {"2", "NS"}, {"5", "CNAME"}, {"6", "SOA"}, {"12", "PTR"}, {"13", "HINFO"},
            {"15", "MX"}, {"16", "TXT"}, {"17", "RP"}, {"18", "AFSDB"}, {"24", "SIG"}, {"25", "KEY"},
            {"28", "AAAA"}, {"29", "LOC"}, {"33", "SRV"}, {"35", "NAPTR"}, {"36", "KX"}, {"37", "CERT"},
            {"39", "DNAME"}, {"41", "OPT"}, {"42", "APL"}, {"43", "DS"}, {"44", "SSHFP"}, {"45", "IPSECKEY"},
            {"46", "RRSIG"}, {"47", "NSEC"}, {"48", "DNSKEY"}, {"49", "DHCID"}, {"50", "NSEC3"},
            {"51", "NSEC3PARAM"}, {"52", "TLSA"}, {"53", "SMIMEA"}, {"55", "HIP"}, {"59", "CDS"},
            {"60", "CDNSKEY"}, {"61", "OPENPGPKEY"}, {"62", "CSYNC"}, {"63", "ZONEMD"}, {"64", "SVCB"},
            {"65", "HTTPS"}, {"108", "EUI48"}, {"109", "EUI64"}, {"249", "TKEY"}, {"250", "TSIG"},
            {"251", "IXFR"}, {"252", "AXFR"}, {"253", "MAILB"}, {"254", "MAILA"}, {"255", "ANY"},
            {"256", "URI"}, {"257", "CAA"},
        };
        for (String[] k : known) {
            NAMES[Integer.parseInt(k[0])] = k[1];
        }
    }

    private DnsTypes() {}

    static String name(int type) {
        int t = type & 0xffff;
        String n = t < NAMES.length ? NAMES[t] : null;
        return n != null ? n : "TYPE" + t;
    }
}
