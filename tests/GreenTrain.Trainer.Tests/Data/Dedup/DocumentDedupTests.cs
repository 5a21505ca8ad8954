using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Data.Dedup;

namespace GreenTrain.Trainer.Tests.Data.Dedup;

public sealed class DocumentDedupTests
{
    [Fact]
    public void Fortune_files_are_cut_at_lines_holding_only_a_percent_sign()
    {
        var text = "A penny saved is a penny earned.\n%\nHe who laughs last\n  laughs best.\n%\n%\nThe end.\n";

        DocumentCorpus.Cut(text, DocumentKind.Fortune).Should().Equal("A penny saved is a penny earned.", "He who laughs last\n  laughs best.", "The end.");
        DocumentCorpus.Cut("a\n\nb\nc\n", DocumentKind.Paragraph).Should().Equal("a", "b\nc");
        DocumentCorpus.Cut("a\n\nb\n", DocumentKind.Line).Should().Equal("a", "b");
    }

    [Fact]
    public void Duplicate_training_documents_go_and_evaluation_documents_that_repeat_training_text_are_reported_and_removed()
    {
        string[] train = ["Time flies like an arrow; fruit flies like a banana.", "time flies like an ARROW;  fruit flies like a banana.", "Never put off till tomorrow what you can do today."];
        string[] validation = ["Never put off till tomorow what you can do today.", "A watched pot never boils."];
        string[] test = ["Time flies like an arrow; fruit flies like a banana."];
        var splits = new DocumentSplits(train, [10, 11, 12], validation, [20, 21], test, [30]);

        var (kept, outcome, overlap) = DocumentDedup.Run(splits, new DedupSpec { Near = new NearDedupSpec() }, null, 1);

        kept.Train.Should().Equal(train[0], train[2]);
        kept.Validation.Should().Equal("A watched pot never boils.");
        kept.Test.Should().BeEmpty();
        overlap.Should().Be(new SplitOverlap(2, 1, 1, 1));
        outcome.Removed.Should().ContainEquivalentOf(new RemovedExample { Split = "train", Id = 1, Source = 11, Stage = "exact", Match = 0, MatchSource = 10, Similarity = 1 });
        outcome.Removed.Should().Contain(r => r.Split == "validation" && r.Id == 0 && r.Source == 20 && r.Stage == "overlap" && r.Match == 2 && r.MatchSource == 12);
        outcome.Removed.Should().Contain(r => r.Split == "test" && r.Id == 0 && r.Stage == "overlap" && r.Match == 0);
    }
}
