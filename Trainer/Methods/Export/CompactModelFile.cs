using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using GreenTrain.Trainer.Methods.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Methods.Export;

/// <summary>How one tensor is stored in a model file.</summary>
public enum TensorEncoding
{
    /// <summary>Raw fp32 elements.</summary>
    Float32,

    /// <summary>One fp32 scale per output channel, then int8 elements (w = q s); the levels span the header's weight bit width (8 unless it says otherwise).</summary>
    Int8PerChannel,

    /// <summary>A bitmask of the non-zero elements (1 bit each), then those elements in fp32. 2:4 sparsity costs the same 1 bit per weight as NVIDIA's 2-bit indices per kept weight.</summary>
    SparseFloat32,
}

/// <summary>One tensor of a model file: its name, encoding, shape, and where its payload lies after the header.</summary>
public sealed record CompactEntry(string Name, TensorEncoding Encoding, long[] Shape, long Offset, long Length);

/// <summary>
/// A trained model as a file, in the smallest form its method allows: "GTMODEL1", a 4-byte little-endian header
/// length, a JSON header (entries, the activation ranges integer inference quantises layer inputs with, and for a
/// quantised model its bit widths, e.g. 4-bit weights in int8 containers with 8-bit activations), then the payloads. Its size is the model's size on disk; Read gives back fp32 tensors (int8 dequantised, sparse expanded).
/// </summary>
public static class CompactModelFile
{
    private static readonly byte[] Magic = "GTMODEL1"u8.ToArray();
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="Quantization">The bit widths of the Int8PerChannel weights and of the activation ranges; null (files without quantised tensors, and those written before widths were stored) reads as int8.</param>
    public sealed record Header(IReadOnlyList<CompactEntry> Entries, IReadOnlyDictionary<string, float[]> ActivationRanges, QuantizationGrid? Quantization = null);

    public sealed record Contents(Dictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, float[]> ActivationRanges, QuantizationGrid Quantization);

    /// <param name="tensors">Each tensor with the encoding to store it in (fp32 values on any device).</param>
    /// <param name="activationRanges">Per layer weight name: [min, max] of its input.</param>
    /// <param name="grid">The bit widths Int8PerChannel weights are rounded to and the ranges are meant for; null: int8.</param>
    public static byte[] Write(IEnumerable<(string Name, Tensor Value, TensorEncoding Encoding)> tensors, IReadOnlyDictionary<string, float[]>? activationRanges = null, QuantizationGrid? grid = null)
    {
        var entries = new List<CompactEntry>();
        var payload = new MemoryStream();
        foreach (var (name, value, encoding) in tensors)
        {
            var bytes = Encode(value, encoding, (grid ?? QuantizationGrid.Int8).WeightBits);
            entries.Add(new CompactEntry(name, encoding, value.shape, payload.Length, bytes.Length));
            payload.Write(bytes);
        }

        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(entries, activationRanges ?? new Dictionary<string, float[]>(), grid), Json);
        var file = new MemoryStream();
        file.Write(Magic);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, header.Length);
        file.Write(length);
        file.Write(header);
        payload.Position = 0;
        payload.CopyTo(file);
        return file.ToArray();
    }

    public static Contents Read(byte[] file)
    {
        if (file.Length < Magic.Length + 4 || !file.AsSpan(0, Magic.Length).SequenceEqual(Magic)) throw new InvalidDataException("not a GreenTrain model file");
        var length = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(Magic.Length));
        var header = JsonSerializer.Deserialize<Header>(file.AsSpan(Magic.Length + 4, length), Json) ?? throw new InvalidDataException("the model file has no header");
        var start = Magic.Length + 4 + length;
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var entry in header.Entries)
        {
            tensors[entry.Name] = Decode(file.AsSpan(start + (int)entry.Offset, (int)entry.Length), entry);
        }
        return new Contents(tensors, header.ActivationRanges, header.Quantization ?? QuantizationGrid.Int8);
    }

    private static byte[] Encode(Tensor value, TensorEncoding encoding, int weightBits)
    {
        using var scope = NewDisposeScope();
        var host = value.detach().to(ScalarType.Float32).to(CPU).contiguous();
        switch (encoding)
        {
            case TensorEncoding.Int8PerChannel:
                var scales = FakeQuantization.WeightScales(host, weightBits);
                var quantized = FakeQuantization.QuantizeWeights(host, scales, weightBits);
                return [.. scales.bytes.ToArray(), .. quantized.bytes.ToArray()];
            case TensorEncoding.SparseFloat32:
                var flat = host.flatten();
                var keep = flat.ne(0);
                var bits = new byte[(flat.shape[0] + 7) / 8];
                var kept = keep.data<bool>().ToArray();
                for (var i = 0; i < kept.Length; i++) if (kept[i]) bits[i >> 3] |= (byte)(1 << (i & 7));
                return [.. bits, .. flat.masked_select(keep).bytes.ToArray()];
            default:
                return host.bytes.ToArray();
        }
    }

    private static Tensor Decode(ReadOnlySpan<byte> payload, CompactEntry entry)
    {
        var count = entry.Shape.Aggregate(1L, (a, b) => a * b);
        switch (entry.Encoding)
        {
            case TensorEncoding.Int8PerChannel:
                var channels = entry.Shape[0];
                using (var scales = empty(channels, ScalarType.Float32))
                using (var quantized = empty(entry.Shape, ScalarType.Int8))
                {
                    scales.bytes = payload[..(int)(channels * 4)].ToArray();
                    quantized.bytes = payload[(int)(channels * 4)..].ToArray();
                    return FakeQuantization.DequantizeWeights(quantized, scales);
                }
            case TensorEncoding.SparseFloat32:
                var bitBytes = (int)((count + 7) / 8);
                var values = MemoryMarshalFloats(payload[bitBytes..]);
                var dense = new float[count];
                for (long i = 0, v = 0; i < count; i++)
                {
                    if ((payload[(int)(i >> 3)] & (1 << (int)(i & 7))) != 0) dense[i] = values[v++];
                }
                return tensor(dense, ScalarType.Float32).reshape(entry.Shape);
            default:
                var raw = empty(entry.Shape, ScalarType.Float32);
                raw.bytes = payload.ToArray();
                return raw;
        }
    }

    private static float[] MemoryMarshalFloats(ReadOnlySpan<byte> bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();
}
