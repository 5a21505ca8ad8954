using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using GreenTrain.Trainer.Engine;
using TorchSharp;

namespace GreenTrain.Trainer.Checkpoints.State;

/// <summary>
/// A method's checkpoint section as bytes: a 4-byte little-endian header length, a UTF-8 JSON header
/// (the method's values and where each tensor's bytes are), then the tensors' bytes one after another.
/// </summary>
public static class MethodSectionCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Header(string Values, IReadOnlyList<TensorEntry> Tensors);

    public static byte[] Encode(MethodSection section)
    {
        var entries = new List<TensorEntry>();
        long offset = 0;
        foreach (var (name, tensor) in section.Tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            entries.Add(new TensorEntry(name, tensor.DType.ToString(), tensor.Shape, offset, tensor.Bytes.Length));
            offset += tensor.Bytes.Length;
        }

        var header = JsonSerializer.SerializeToUtf8Bytes(new Header(section.ValuesJson, entries), Json);
        var bytes = new byte[4 + header.Length + offset];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, header.Length);
        header.CopyTo(bytes, 4);
        var at = 4 + header.Length;
        foreach (var entry in entries)
        {
            section.Tensors[entry.Name].Bytes.CopyTo(bytes, at + (int)entry.Offset);
        }
        return bytes;
    }

    public static MethodSection Decode(string name, byte[] bytes)
    {
        try
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(bytes);
            var header = JsonSerializer.Deserialize<Header>(bytes.AsSpan(4, length), Json) ?? throw new JsonException("empty header");
            var start = 4 + length;
            var tensors = new Dictionary<string, HostTensor>();
            foreach (var entry in header.Tensors)
            {
                if (entry.Offset < 0 || entry.Length < 0 || start + entry.Offset + entry.Length > bytes.Length)
                {
                    throw new CheckpointIncompatibleException($"method {name}'s tensor {entry.Name} lies outside its section");
                }
                tensors[entry.Name] = new HostTensor(Enum.Parse<torch.ScalarType>(entry.DType), entry.Shape,
                    bytes.AsSpan(start + (int)entry.Offset, (int)entry.Length).ToArray());
            }
            return new MethodSection(header.Values, tensors);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or IndexOutOfRangeException or DecoderFallbackException)
        {
            throw new CheckpointIncompatibleException($"method {name}'s section is not readable ({ex.Message})");
        }
    }
}
