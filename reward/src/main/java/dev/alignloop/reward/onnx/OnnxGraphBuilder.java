package dev.alignloop.reward.onnx;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds small ONNX models (opset {@value #OPSET}) from Java: named inputs and outputs with
 * symbolic or fixed dimensions, float/int64 initializers, and one helper per operator used by
 * reward models.
 *
 * <p>Why the raw {@code OnnxMl} protos and not tribuo's {@code ONNXContext}: its placeholders are
 * float rank-2 only and its operator enum has no MatMul, Conv, Relu, Shape or Slice. The protos
 * are the ones shipped in {@code tribuo-util-onnx}, so no extra dependency is needed.
 *
 * <p>Every helper returns the name of the tensor it produced; names are unique per builder.
 * Not thread-safe.
 */
public final class OnnxGraphBuilder {

    /** The default-domain opset the graphs declare (ORT 1.22 runs 7..22). */
    public static final int OPSET = 17;
    /** IR version matching {@link #OPSET} (IR 8, 2021-07-30). */
    public static final int IR_VERSION = OnnxMl.Version.IR_VERSION_2021_7_30_VALUE;

    /** Element types used by our graphs. */
    public enum ElemType {
        /** float32. */
        FLOAT(OnnxMl.TensorProto.DataType.FLOAT),
        /** int32. */
        INT32(OnnxMl.TensorProto.DataType.INT32),
        /** int64. */
        INT64(OnnxMl.TensorProto.DataType.INT64),
        /** bool. */
        BOOL(OnnxMl.TensorProto.DataType.BOOL);

        final OnnxMl.TensorProto.DataType proto;

        ElemType(OnnxMl.TensorProto.DataType proto) {
            this.proto = proto;
        }
    }

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final Set<String> names = new HashSet<>();
    private final Map<String, Integer> counters = new HashMap<>();

    /** A builder for a graph of the given name. */
    public OnnxGraphBuilder(String graphName) {
        graph.setName(graphName);
    }

    /**
     * Declares a graph input.
     *
     * @param dims each an {@code Integer}/{@code Long} (fixed) or a {@code String} (symbolic, e.g. "batch")
     */
    public String input(String name, ElemType type, Object... dims) {
        graph.addInput(valueInfo(claim(name), type, dims));
        return name;
    }

    /** Declares a graph output; {@code name} must be produced by a node (see {@link #identity}). */
    public void output(String name, ElemType type, Object... dims) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException("output " + name + " is not produced by any node or input");
        }
        graph.addOutput(valueInfo(name, type, dims));
    }

    /** A float32 initializer (row-major {@code data}). */
    public String initializer(String name, float[] data, long... shape) {
        checkCount(name, data.length, shape);
        ByteBuffer buf = ByteBuffer.allocate(4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        return addInitializer(name, ElemType.FLOAT, buf.array(), shape);
    }

    /** An int64 initializer (row-major {@code data}). */
    public String initializer(String name, long[] data, long... shape) {
        checkCount(name, data.length, shape);
        ByteBuffer buf = ByteBuffer.allocate(8 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(data);
        return addInitializer(name, ElemType.INT64, buf.array(), shape);
    }

    /** A float32 scalar constant (rank 0). */
    public String scalar(float value) {
        return initializer(fresh("const"), new float[] {value});
    }

    /** An int64 vector constant (rank 1). */
    public String longs(long... values) {
        return initializer(fresh("const"), values, values.length);
    }

    /**
     * Adds a node with one output.
     *
     * @param attrs values: Integer/Long (INT), Float/Double (FLOAT), String, int[]/long[] (INTS), float[] (FLOATS)
     */
    public String op(String opType, List<String> inputs, Map<String, Object> attrs) {
        String out = claim(fresh(opType));
        OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder()
                .setOpType(opType).setName(out + "_node").addAllInput(inputs).addOutput(out);
        attrs.forEach((k, v) -> node.addAttribute(attribute(k, v)));
        graph.addNode(node);
        return out;
    }

    /** A node with one output and no attributes. */
    public String op(String opType, String... inputs) {
        return op(opType, List.of(inputs), Map.of());
    }

    /** Copies {@code x} to a tensor called {@code name} (to name graph outputs). */
    public String identity(String x, String name) {
        graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName(claim(name) + "_node")
                .addInput(x).addOutput(name));
        return name;
    }

    /** {@code a @ b} (numpy matmul semantics). */
    public String matMul(String a, String b) {
        return op("MatMul", a, b);
    }

    /** Elementwise {@code a + b} with broadcasting. */
    public String add(String a, String b) {
        return op("Add", a, b);
    }

    /** Elementwise {@code a - b}. */
    public String sub(String a, String b) {
        return op("Sub", a, b);
    }

    /** Elementwise {@code a * b}. */
    public String mul(String a, String b) {
        return op("Mul", a, b);
    }

    /** Elementwise {@code a / b}. */
    public String div(String a, String b) {
        return op("Div", a, b);
    }

    /** Elementwise maximum. */
    public String max(String a, String b) {
        return op("Max", a, b);
    }

    /** ReLU. */
    public String relu(String x) {
        return op("Relu", x);
    }

    /** Square root. */
    public String sqrt(String x) {
        return op("Sqrt", x);
    }

    /** e^x. */
    public String exp(String x) {
        return op("Exp", x);
    }

    /** Exact GELU, {@code 0.5 x (1 + erf(x / sqrt 2))} (torch's default; the Gelu op needs opset 20). */
    public String gelu(String x) {
        String e = op("Erf", div(x, scalar((float) Math.sqrt(2.0))));
        return mul(mul(x, add(e, scalar(1f))), scalar(0.5f));
    }

    /** Casts to another element type. */
    public String cast(String x, ElemType to) {
        return op("Cast", List.of(x), Map.of("to", to.proto.getNumber()));
    }

    /** {@code data} rows picked by integer {@code indices} along {@code axis} (an embedding lookup at axis 0). */
    public String gather(String data, String indices, int axis) {
        return op("Gather", List.of(data, indices), Map.of("axis", axis));
    }

    /** Mean over {@code axes} (axes are an attribute up to opset 17). */
    public String reduceMean(String x, boolean keepDims, long... axes) {
        return op("ReduceMean", List.of(x), Map.of("axes", axes, "keepdims", keepDims ? 1 : 0));
    }

    /** Sum over {@code axes} (axes are an input since opset 13). */
    public String reduceSum(String x, boolean keepDims, long... axes) {
        return op("ReduceSum", List.of(x, longs(axes)), Map.of("keepdims", keepDims ? 1 : 0));
    }

    /** Inserts size-1 dimensions at {@code axes}. */
    public String unsqueeze(String x, long... axes) {
        return op("Unsqueeze", x, longs(axes));
    }

    /** Concatenation along {@code axis}. */
    public String concat(int axis, String... inputs) {
        return op("Concat", List.of(inputs), Map.of("axis", axis));
    }

    /** Reshape to a fixed shape (0 copies a dimension, -1 infers one). */
    public String reshape(String x, long... shape) {
        return op("Reshape", x, longs(shape));
    }

    /** Permutes dimensions. */
    public String transpose(String x, long... perm) {
        return op("Transpose", List.of(x), Map.of("perm", perm));
    }

    /** Softmax along {@code axis}. */
    public String softmax(String x, int axis) {
        return op("Softmax", List.of(x), Map.of("axis", axis));
    }

    /** The dims {@code [start, end)} of {@code x}'s shape as an int64 vector. */
    public String shape(String x, int start, int end) {
        return op("Shape", List.of(x), Map.of("start", start, "end", end));
    }

    /** {@code x[starts:ends]} on {@code axes}; each argument is an int64 vector tensor name. */
    public String slice(String x, String starts, String ends, String axes) {
        return op("Slice", x, starts, ends, axes);
    }

    /** 2-D convolution, NCHW, weights {@code [out, in, k, k]}, symmetric padding. */
    public String conv2d(String x, String weight, String bias, int kernel, int stride, int pad) {
        return op("Conv", List.of(x, weight, bias), Map.of("kernel_shape", new long[] {kernel, kernel},
                "strides", new long[] {stride, stride}, "pads", new long[] {pad, pad, pad, pad}));
    }

    /** The model proto. */
    public OnnxMl.ModelProto build() {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("alignloop")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph.build())
                .build();
    }

    /** The serialized model. */
    public byte[] toBytes() {
        return build().toByteArray();
    }

    /** Writes the model atomically and returns {@code file}. */
    public Path write(Path file) {
        return writeAtomically(file, toBytes());
    }

    /** Writes bytes to a temporary sibling, then moves them into place. */
    static Path writeAtomically(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes);
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private String addInitializer(String name, ElemType type, byte[] raw, long[] shape) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(claim(name))
                .setDataType(type.proto.getNumber()).setRawData(ByteString.copyFrom(raw));
        for (long d : shape) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    private static void checkCount(String name, int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("initializer " + name + ": shape " + java.util.Arrays.toString(shape)
                    + " holds " + n + " values, got " + length);
        }
    }

    private String claim(String name) {
        if (!names.add(name)) {
            throw new IllegalArgumentException("tensor name " + name + " is already used in this graph");
        }
        return name;
    }

    /** A name not used yet (not claimed: the caller claims it by creating the tensor). */
    private String fresh(String prefix) {
        String name;
        do {
            name = prefix + "_" + counters.merge(prefix, 1, Integer::sum);
        } while (names.contains(name));
        return name;
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, ElemType type, Object[] dims) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            OnnxMl.TensorShapeProto.Dimension.Builder dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof String s) {
                dim.setDimParam(s);
            } else if (d instanceof Number n) {
                dim.setDimValue(n.longValue());
            } else {
                throw new IllegalArgumentException("dimension of " + name + " must be a number or a name, got " + d);
            }
            shape.addDim(dim);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.proto.getNumber()).setShape(shape)))
                .build();
    }

    private static OnnxMl.AttributeProto attribute(String name, Object v) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name);
        if (v instanceof Integer || v instanceof Long) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INT).setI(((Number) v).longValue());
        } else if (v instanceof Float || v instanceof Double) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(((Number) v).floatValue());
        } else if (v instanceof String s) {
            a.setType(OnnxMl.AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(s));
        } else if (v instanceof long[] ls) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (long l : ls) {
                a.addInts(l);
            }
        } else if (v instanceof int[] is) {
            a.setType(OnnxMl.AttributeProto.AttributeType.INTS);
            for (int i : is) {
                a.addInts(i);
            }
        } else if (v instanceof float[] fs) {
            a.setType(OnnxMl.AttributeProto.AttributeType.FLOATS);
            for (float f : fs) {
                a.addFloats(f);
            }
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value type " + v.getClass());
        }
        return a.build();
    }
}
