using System.Text;
using GreenTrain.ServiceDefaults.Contracts;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Data;

/// <summary>
/// A plain-text corpus for next-token prediction: a UTF-8 file, or every text file of a folder in name
/// order (binary files, those holding a NUL byte, and symbolic links are skipped). The token stream is
/// kept whole on the device; validation and test are its last stretches, so no window is shared with
/// the training text.
/// </summary>
public sealed class TextCorpusData : ITrainingData
{
    private readonly Tensor _tokens;

    public TextCorpusData(DatasetSpec spec, int contextLength, Device device)
        : this(Streams(spec), spec, contextLength, device)
    {
    }

    private TextCorpusData((long[] Train, long[] Validation, long[] Test) streams, DatasetSpec spec, int contextLength, Device device)
    {
        Classes = TextTokenizer.VocabularySize(spec.Tokenizer);
        ExampleShape = [contextLength];
        var (train, validation, test) = streams;
        Tokens = train.LongLength + validation.LongLength + test.LongLength;
        _tokens = tensor((long[])[.. train, .. validation, .. test], ScalarType.Int64).to(device).DetachFromDisposeScope();
        Train = new TokenWindowSplit(_tokens, 0, train.LongLength, contextLength);
        Validation = new TokenWindowSplit(_tokens, train.LongLength, validation.LongLength, contextLength);
        Test = new TokenWindowSplit(_tokens, train.LongLength + validation.LongLength, test.LongLength, contextLength);
        if (Train.Count == 0)
        {
            throw new DataSetNotFoundException($"{spec.Path} holds {train.LongLength} training tokens, too few for one training window of {contextLength}.");
        }
    }

    /// <summary>A corpus already cut into documents and split (and perhaps deduplicated): each split is its documents joined by the kind's separator.</summary>
    public static TextCorpusData FromDocuments(DocumentSplits splits, DatasetSpec spec, int contextLength, Device device)
    {
        var separator = DocumentCorpus.Separator(spec.Documents ?? DocumentKind.Line);
        long[] Encode(IReadOnlyList<string> documents) => TextTokenizer.Encode(string.Join(separator, documents) + separator, spec.Tokenizer);
        return new TextCorpusData((Encode(splits.Train), Encode(splits.Validation), Encode(splits.Test)), spec, contextLength, device);
    }

    /// <summary>One byte stream whose last stretches are validation and test; or, with dataset.documents, whole documents per split.</summary>
    private static (long[] Train, long[] Validation, long[] Test) Streams(DatasetSpec spec)
    {
        var path = spec.Path ?? throw new DataSetNotFoundException("A text dataset needs dataset.path: a UTF-8 file or a folder of them.");
        if (spec.Documents is { } kind)
        {
            var splits = DocumentCorpus.Split(DocumentCorpus.Read(path, kind), spec.ValidationFraction, spec.TestFraction);
            var separator = DocumentCorpus.Separator(kind);
            long[] Encode(IReadOnlyList<string> documents) => TextTokenizer.Encode(string.Join(separator, documents) + separator, spec.Tokenizer);
            return (Encode(splits.Train), Encode(splits.Validation), Encode(splits.Test));
        }

        var tokens = TextTokenizer.Encode(ReadCorpus(path), spec.Tokenizer);
        var testLength = (long)(tokens.LongLength * spec.TestFraction);
        var validationLength = (long)(tokens.LongLength * spec.ValidationFraction);
        var trainLength = tokens.LongLength - testLength - validationLength;
        return (tokens[..(int)trainLength], tokens[(int)trainLength..(int)(trainLength + validationLength)], tokens[(int)(trainLength + validationLength)..]);
    }

    public string Name => "text";

    public DataTask Task => DataTask.LanguageModel;

    public long[] ExampleShape { get; }

    public int Classes { get; }

    /// <summary>Tokens in the whole corpus.</summary>
    public long Tokens { get; }

    public IDataSplit Train { get; }

    public IDataSplit Validation { get; }

    public IDataSplit Test { get; }

    public static string ReadCorpus(string path) =>
        File.Exists(path) ? File.ReadAllText(path, Encoding.UTF8) : string.Concat(ReadCorpusFiles(path).Select(text => text + "\n"));

    /// <summary>The text of a file, or of every text file of a folder in name order (binary files and links skipped).</summary>
    public static List<string> ReadCorpusFiles(string path)
    {
        if (File.Exists(path))
        {
            return [File.ReadAllText(path, Encoding.UTF8)];
        }

        if (!Directory.Exists(path))
        {
            throw new DataSetNotFoundException($"The text corpus {path} does not exist. Give a UTF-8 file or a folder of them; for example `sudo apt-get install fortunes` puts plain English text in /usr/share/games/fortunes.");
        }

        var texts = new List<string>();
        foreach (var file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is not null) continue;
            var bytes = File.ReadAllBytes(file);
            if (Array.IndexOf(bytes, (byte)0) >= 0) continue;
            texts.Add(Encoding.UTF8.GetString(bytes));
        }

        if (texts.Count == 0)
        {
            throw new DataSetNotFoundException($"The folder {path} holds no text files.");
        }

        return texts;
    }

    public void Dispose() => _tokens.Dispose();
}
