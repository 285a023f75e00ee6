using PadKernel.Decoding;

namespace PadKernel.Tests.Decoding;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void FindsAStopSequenceSpanningSeveralChunksAndDropsIt()
    {
        var matcher = new StopSequenceMatcher(["THE END"]);

        string emitted = matcher.Push("and they lived. TH") + matcher.Push("E E") + matcher.Push("ND and more");

        Assert.True(matcher.Stopped);
        Assert.Equal("and they lived. ", emitted);
        Assert.Equal(string.Empty, matcher.Push("later"));
    }

    [Fact]
    public void HoldsBackAPossibleStartAndReleasesItWhenItIsNotAStop()
    {
        var matcher = new StopSequenceMatcher(["\n\n"]);

        Assert.Equal("line", matcher.Push("line\n"));
        Assert.Equal("\nnext", matcher.Push("next"));
        Assert.False(matcher.Stopped);
        Assert.Equal(string.Empty, matcher.Flush());
    }

    [Fact]
    public void FlushReturnsHeldTextAtTheEnd()
    {
        var matcher = new StopSequenceMatcher(["STOP"]);

        Assert.Equal("go ", matcher.Push("go ST"));
        Assert.Equal("ST", matcher.Flush());
    }

    [Fact]
    public void EarliestOfSeveralStopSequencesWins()
    {
        var matcher = new StopSequenceMatcher(["dog", "cat"]);

        Assert.Equal("a ", matcher.Push("a cat and a dog"));
    }
}
