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
    {
        var text = ReadCorpus(spec.Path ?? throw new DataSetNotFoundException("A text dataset needs dataset.path: a UTF-8 file or a folder of them."));
        var tokens = TextTokenizer.Encode(text, spec.Tokenizer);
        Classes = TextTokenizer.VocabularySize(spec.Tokenizer);
        ExampleShape = [contextLength];
        Tokens = tokens.LongLength;

        var testLength = (long)(tokens.LongLength * spec.TestFraction);
        var validationLength = (long)(tokens.LongLength * spec.ValidationFraction);
        var trainLength = tokens.LongLength - testLength - validationLength;
        _tokens = tensor(tokens, ScalarType.Int64).to(device).DetachFromDisposeScope();
        Train = new TokenWindowSplit(_tokens, 0, trainLength, contextLength);
        Validation = new TokenWindowSplit(_tokens, trainLength, validationLength, contextLength);
        Test = new TokenWindowSplit(_tokens, trainLength + validationLength, testLength, contextLength);
        if (Train.Count == 0)
        {
            throw new DataSetNotFoundException($"{spec.Path} holds {tokens.LongLength} tokens, too few for one training window of {contextLength}.");
        }
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

    public static string ReadCorpus(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }

        if (!Directory.Exists(path))
        {
            throw new DataSetNotFoundException($"The text corpus {path} does not exist. Give a UTF-8 file or a folder of them; for example `sudo apt-get install fortunes` puts plain English text in /usr/share/games/fortunes.");
        }

        var builder = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(path).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(file);
            if (info.LinkTarget is not null) continue;
            var bytes = File.ReadAllBytes(file);
            if (Array.IndexOf(bytes, (byte)0) >= 0) continue;
            builder.Append(Encoding.UTF8.GetString(bytes)).Append('\n');
        }

        if (builder.Length == 0)
        {
            throw new DataSetNotFoundException($"The folder {path} holds no text files.");
        }

        return builder.ToString();
    }

    public void Dispose() => _tokens.Dispose();
}
