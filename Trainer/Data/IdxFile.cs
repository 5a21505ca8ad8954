using System.Buffers.Binary;
using System.IO.Compression;

namespace GreenTrain.Trainer.Data;

/// <summary>
/// Reads the IDX format of (Fashion-)MNIST (LeCun et al.): a magic number whose third byte is the
/// element type (0x08 = unsigned byte) and fourth the number of dimensions, the dimensions as
/// big-endian int32, then the data. Gzipped files are read as they are shipped.
/// </summary>
public static class IdxFile
{
    public static (int[] Shape, byte[] Data) ReadBytes(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        Span<byte> header = stackalloc byte[4];
        stream.ReadExactly(header);
        if (header[0] != 0 || header[1] != 0 || header[2] != 0x08)
        {
            throw new InvalidDataException($"{path} is not an IDX file of unsigned bytes (magic {Convert.ToHexString(header)}).");
        }

        var shape = new int[header[3]];
        for (var i = 0; i < shape.Length; i++)
        {
            stream.ReadExactly(header);
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(header);
        }

        var data = new byte[shape.Aggregate(1L, (a, b) => a * b)];
        stream.ReadExactly(data);
        return (shape, data);
    }
}
