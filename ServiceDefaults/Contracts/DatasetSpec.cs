using System.Text.Json.Serialization;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>Where the examples come from and how they are split.</summary>
public sealed record DatasetSpec
{
    public DatasetKind Kind { get; init; } = DatasetKind.Digits;

    /// <summary>
    /// fashion-mnist: the folder holding the four IDX .gz files (default /usr/share/datasets/fashion-mnist);
    /// text: a UTF-8 file, or a folder whose files are read in name order. Unused for digits (embedded).
    /// </summary>
    public string? Path { get; init; }

    /// <summary>text only: how text becomes tokens.</summary>
    public TokenizerKind Tokenizer { get; init; } = TokenizerKind.Bytes;

    /// <summary>Fraction (0..0.5) of the training examples held out for evaluation during training.</summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>
    /// Fraction (0..0.5) held out as the test set for data sets without their own (digits, text);
    /// fashion-mnist uses its official 10,000-image test set.
    /// </summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>text only: cut the corpus into documents, split by document and dedup by document; null keeps one byte stream.</summary>
    public DocumentKind? Documents { get; init; }

    /// <summary>Duplicates and low-value examples to remove from the training split before training; null keeps every example.</summary>
    public DedupSpec? Dedup { get; init; }
}

public enum DatasetKind
{
    /// <summary>UCI optical digits: 1,797 8x8 images, embedded, always available.</summary>
    [JsonStringEnumMemberName("digits")] Digits,

    /// <summary>Fashion-MNIST: 70,000 28x28 images in IDX gzip files.</summary>
    [JsonStringEnumMemberName("fashion-mnist")] FashionMnist,

    /// <summary>A plain-text corpus for next-token prediction.</summary>
    [JsonStringEnumMemberName("text")] Text,
}

public enum TokenizerKind
{
    /// <summary>One token per UTF-8 byte (vocabulary 256).</summary>
    [JsonStringEnumMemberName("bytes")] Bytes,

    /// <summary>GPT-2 byte-pair encoding (vocabulary 50,257).</summary>
    [JsonStringEnumMemberName("gpt2")] Gpt2,
}
