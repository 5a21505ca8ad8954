namespace GreenTrain.Trainer.Checkpoints;

/// <summary>
/// The commit record of a checkpoint, stored as JSON after all its chunks: which chunks make up each section,
/// with their lengths and SHA-256 sums, so a reader can prove it got exactly the bytes that were written.
/// </summary>
public sealed record CheckpointManifest(
    int FormatVersion,
    string CheckpointId,
    string ExperimentId,
    long Step,
    string SpecHash,
    DateTimeOffset CreatedAt,
    IReadOnlyList<ManifestSection> Sections)
{
    public const int CurrentFormatVersion = 1;

    public long TotalBytes => Sections.Sum(s => s.Length);

    public IEnumerable<ManifestChunk> Chunks => Sections.SelectMany(s => s.Chunks);
}

/// <summary>A section: its name, its length in bytes, and its chunks in order.</summary>
public sealed record ManifestSection(string Name, long Length, IReadOnlyList<ManifestChunk> Chunks);

/// <summary>One stored chunk: its store key, its length in bytes, and the SHA-256 of its bytes (lowercase hex).</summary>
public sealed record ManifestChunk(string Key, int Length, string Sha256);
