package dev.gatehouse.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 10.0.0.0/8} or {@code ::1/128}; a bare address is a range of one. */
public final class Cidr {
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private final byte[] network;
    private final int prefix;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    public static boolean valid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static Cidr parse(String text) {
        String[] parts = text.trim().split("/", 2);
        // only literals: InetAddress would look a hex-looking name ("cafe") up in DNS and read "10" or "1.2.3" as
        // shorthand IPv4 (0.0.0.10, 1.2.0.3), trusting an address nobody meant
        boolean v4 = parts[0].matches(OCTET + "(\\." + OCTET + "){3}");
        boolean v6 = parts[0].contains(":") && parts[0].matches("[0-9a-fA-F:.]+");
        if ((!v4 && !v6) || (parts.length == 2 && !parts[1].matches("\\d{1,3}"))) {
            throw new IllegalArgumentException("not an address: " + text);
        }
        try {
            byte[] address = InetAddress.getByName(parts[0]).getAddress();
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
            if (prefix < 0 || prefix > address.length * 8) {
                throw new IllegalArgumentException("bad prefix: " + text);
            }
            return new Cidr(address, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR range: " + text);
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }
}
