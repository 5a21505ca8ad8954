using GreenTrain.Trainer.Data;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Data;

public sealed class DataOrderTests
{
    [Fact]
    public void Each_epoch_is_a_permutation_fixed_by_seed_and_epoch()
    {
        var epoch0 = DataOrder.Permutation(1000, seed: 5, epoch: 0);

        epoch0.Order().Should().Equal(Enumerable.Range(0, 1000).Select(i => (long)i));
        DataOrder.Permutation(1000, 5, 0).Should().Equal(epoch0);
        DataOrder.Permutation(1000, 5, 1).Should().NotEqual(epoch0);
        DataOrder.Permutation(1000, 6, 0).Should().NotEqual(epoch0);
    }

    [Fact]
    public void A_sampler_started_at_a_cursor_deals_the_batches_an_uninterrupted_one_deals()
    {
        using var data = new DigitsData(new GreenTrain.ServiceDefaults.Contracts.DatasetSpec(), CPU);
        using var uninterrupted = new BatchSampler(data.Train, 100, seed: 3, CPU);
        var expected = new List<long[]>();
        DataCursor cursorAfterFive = default;
        for (var i = 0; i < 30; i++)
        {
            if (i == 5) cursorAfterFive = uninterrupted.Cursor;
            using var batch = uninterrupted.Next();
            expected.Add(batch.Target.data<long>().ToArray());
        }

        using var resumed = new BatchSampler(data.Train, 100, seed: 3, CPU, cursorAfterFive);
        for (var i = 5; i < 30; i++)
        {
            using var batch = resumed.Next();
            batch.Target.data<long>().ToArray().Should().Equal(expected[i], $"batch {i} after resuming at {cursorAfterFive}");
        }

        uninterrupted.Cursor.Epoch.Should().BeGreaterThan(1, "the comparison must cross epoch boundaries");
    }
}
