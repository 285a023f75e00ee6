using PadKernel.Evaluation.Judges;

namespace PadKernel.Evaluation.Tests;

public sealed class CopyDetectorTests
{
    [Theory]
    [InlineData("The dog ran to the park and barked.", 0)]
    [InlineData("The story is about a dog.", 5)] // "the story", "the story is", "story is about", "is about a", "about a dog"
    [InlineData("Tim loved the main character of his book.", 1)]
    [InlineData("The moral of the story is to share.", 3)] // "moral of the story", "the story", "the story is"
    [InlineData("It was a story about a dog named Max.", 1)] // "about a dog"
    [InlineData("History is about time.", 0)] // whole words only: "history" is not "story"
    public void CountsVerbatimPreferenceTrigramsAndMetaText(string text, int expected)
    {
        Assert.Equal(expected, CopyDetector.Count(text, "The story is about a dog."));
    }

    [Fact]
    public void CountsEveryOccurrence()
    {
        Assert.Equal(2, CopyDetector.Count("Food and eating. Food and eating!", "Food and eating.", n: 3));
        Assert.Equal(0, CopyDetector.Count("Food was good.", "Food and eating.", n: 3));
    }
}
