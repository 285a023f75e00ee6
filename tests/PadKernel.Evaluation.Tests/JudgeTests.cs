using Microsoft.Extensions.AI;
using Moq;
using PadKernel.Evaluation.Judges;

namespace PadKernel.Evaluation.Tests;

public sealed class JudgeTests
{
    [Fact]
    public async Task LexiconJudgeCountsWholeWordsCaseInsensitively()
    {
        var judge = new LexiconJudge(["dog", "puppy", "bark*"]);
        var input = new JudgeInput("Once", "A dog.", "The Dog barked at a hotdog. The puppy barks too.", TokenCount: 20);

        JudgeScore score = await judge.ScoreAsync(input);

        // Dog, barked, puppy, barks; "hotdog" is another word.
        Assert.Equal(4, judge.CountHits(input.Continuation));
        Assert.Equal(1, score.Score);
        Assert.Equal(4, score.Metrics["hits"]);
        Assert.Equal(20.0, score.Metrics["rate"], 10);
        Assert.Equal(1, score.Metrics["presence"]);
    }

    [Fact]
    public async Task LexiconJudgeScoresAbsenceAsZero()
    {
        var judge = new LexiconJudge(["sea", "ocean"]);
        JudgeScore score = await judge.ScoreAsync(new JudgeInput("p", "The sea.", "They played in the seaside park with a bear.", 12));
        Assert.Equal(0, score.Score);
        Assert.Equal(0, score.Metrics["rate"]);
    }

    [Fact]
    public async Task LexiconRateModeScalesAgainstTheFullRateAndCaps()
    {
        var judge = new LexiconJudge(["sad", "cried"], LexiconScore.Rate, fullRate: 5);
        JudgeScore some = await judge.ScoreAsync(new JudgeInput("p", "Sad.", "She was sad.", 40)); // 1 hit per 40 tokens = 2.5 per 100
        JudgeScore many = await judge.ScoreAsync(new JudgeInput("p", "Sad.", "Sad, sad, she cried.", 10)); // 30 per 100
        Assert.Equal(0.5, some.Score, 10);
        Assert.Equal(1, many.Score);
    }

    [Fact]
    public void LexiconJudgeRejectsEmptyWords() =>
        Assert.Throws<ArgumentException>(() => new LexiconJudge(["*"]));

    [Fact]
    public async Task LengthJudgeRewardsShortSentences()
    {
        var judge = new LengthJudge(LengthUnit.SentenceWords, best: 4, worst: 12);
        JudgeScore terse = await judge.ScoreAsync(new JudgeInput("p", "Short.", "Tom ran. He fell. He got up!", 9));
        JudgeScore long1 = await judge.ScoreAsync(new JudgeInput("p", "Short.", "Tom ran to the big park with his mom and his dad and his little red dog", 17));
        JudgeScore middle = await judge.ScoreAsync(new JudgeInput("p", "Short.", "One two three four five six seven eight.", 9));
        JudgeScore empty = await judge.ScoreAsync(new JudgeInput("p", "Short.", "", 0));

        Assert.Equal(1, terse.Score); // mean 2.67 words per sentence: better than best
        Assert.Equal(0, long1.Score); // 16 words
        Assert.Equal(0.5, middle.Score, 10); // 8 words: halfway between 12 and 4
        Assert.Equal(8, middle.Metrics["length"]);
        Assert.Equal(0, empty.Score);
    }

    [Fact]
    public async Task LengthJudgeCanRewardDetail()
    {
        var judge = new LengthJudge(LengthUnit.Tokens, best: 100, worst: 0);
        JudgeScore score = await judge.ScoreAsync(new JudgeInput("p", "Detailed.", "whatever", 25));
        Assert.Equal(0.25, score.Score, 10);
    }

    [Fact]
    public async Task ChatClientJudgeParsesTheGradeAndNormalizesIt()
    {
        var client = new Mock<IChatClient>(MockBehavior.Strict);
        IEnumerable<ChatMessage>? sent = null;
        client.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .Callback<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken>((m, _, _) => sent = m.ToList())
            .ReturnsAsync(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Grade: 8/10 — it mentions the dog twice.")));
        var judge = new ChatClientJudge(client.Object);

        JudgeScore score = await judge.ScoreAsync(new JudgeInput("Once upon a time", "The story is about a dog.", "The dog ran home.", 5));

        Assert.Equal(8, score.Metrics["grade"]);
        Assert.Equal(7.0 / 9.0, score.Score, 10);
        string prompt = Assert.Single(sent!).Text;
        Assert.Contains("The story is about a dog.", prompt, StringComparison.Ordinal);
        Assert.Contains("The dog ran home.", prompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("I would say it is quite good.")]
    [InlineData("15")]
    public async Task ChatClientJudgeRejectsAnswersWithoutAGradeOnTheScale(string answer)
    {
        var client = new Mock<IChatClient>();
        client.Setup(c => c.GetResponseAsync(It.IsAny<IEnumerable<ChatMessage>>(), It.IsAny<ChatOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        var judge = new ChatClientJudge(client.Object);

        await Assert.ThrowsAsync<JudgeResponseException>(async () => await judge.ScoreAsync(new JudgeInput("p", "pref", "text", 1)));
    }

    [Fact]
    public void ChatClientJudgeUsesItsOwnScale()
    {
        var judge = new ChatClientJudge(Mock.Of<IChatClient>(), new ChatClientJudgeOptions { MinGrade = 0, MaxGrade = 5 });
        Assert.Equal(3.5, judge.ParseGrade("3.5"));
        Assert.Contains("from 0", judge.BuildPrompt(new JudgeInput("p", "pref", "text", 1)), StringComparison.Ordinal);
    }
}
