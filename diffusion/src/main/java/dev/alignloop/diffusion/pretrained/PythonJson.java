package dev.alignloop.diffusion.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Formats a JSON tree exactly as Python's {@code json.dumps(obj, indent=2, sort_keys=True)} does,
 * which is what diffusers' {@code to_json_string} and transformers' {@code to_json_string} write:
 * keys sorted by code point, {@code ": "} and {@code ","} separators, one array element per line,
 * {@code []}/{@code {}} for empty containers, non-ASCII escaped as lowercase {@code \\uXXXX}, and
 * floats in Python's {@code repr} form ({@code 1e-05}, {@code 0.18215}, {@code 1.0}).
 */
final class PythonJson {
    private PythonJson() {
    }

    /** The formatted text, without a trailing newline. */
    static String dumps(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb, 0);
        return sb.toString();
    }

    private static void write(JsonNode node, StringBuilder sb, int depth) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            sb.append("null");
        } else if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            if (keys.isEmpty()) {
                sb.append("{}");
                return;
            }
            keys.sort(String::compareTo);
            sb.append("{\n");
            for (int i = 0; i < keys.size(); i++) {
                indent(sb, depth + 1);
                string(keys.get(i), sb);
                sb.append(": ");
                write(node.get(keys.get(i)), sb, depth + 1);
                sb.append(i + 1 < keys.size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                sb.append("[]");
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < node.size(); i++) {
                indent(sb, depth + 1);
                write(node.get(i), sb, depth + 1);
                sb.append(i + 1 < node.size() ? ",\n" : "\n");
            }
            indent(sb, depth);
            sb.append(']');
        } else if (node.isTextual()) {
            string(node.textValue(), sb);
        } else if (node.isBoolean()) {
            sb.append(node.booleanValue() ? "true" : "false");
        } else if (node.isIntegralNumber()) {
            sb.append(node.bigIntegerValue().toString());
        } else if (node.isFloat()) {
            sb.append(floatRepr(Double.parseDouble(Float.toString(node.floatValue()))));
        } else if (node.isNumber()) {
            sb.append(floatRepr(node.doubleValue()));
        } else {
            throw new IllegalArgumentException("cannot write JSON node of type " + node.getNodeType());
        }
    }

    private static void indent(StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth));
    }

    /** A JSON string as Python writes it with {@code ensure_ascii=True}. */
    static void string(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip, fixed notation when the
     * decimal exponent is in [-4, 16), otherwise {@code d.ddde[+-]XX}. Non-finite values are written
     * as Python's json module does ({@code NaN}, {@code Infinity}, {@code -Infinity}).
     */
    static String floatRepr(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0.0" : "0.0";
        }
        String sign = v < 0 ? "-" : "";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale(); // decimal exponent of the first digit
        StringBuilder sb = new StringBuilder(sign);
        if (exp < -4 || exp >= 16) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            String e = Integer.toString(Math.abs(exp));
            sb.append(e.length() < 2 ? "0" + e : e);
        } else if (exp < 0) {
            sb.append("0.").append("0".repeat(-exp - 1)).append(digits);
        } else if (digits.length() <= exp + 1) {
            sb.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
        }
        return sb.toString();
    }
}
