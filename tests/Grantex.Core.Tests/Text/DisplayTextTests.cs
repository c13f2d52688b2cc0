using Grantex.Core.Text;

namespace Grantex.Core.Tests.Text;

public class DisplayTextTests
{
    [Fact]
    public void an_ordinary_name_passes_unchanged_and_unflagged()
    {
        var text = DisplayText.ForName("Trip Planner 2");

        Assert.Equal("Trip Planner 2", text.Text);
        Assert.Equal(DisplayTextIssues.None, text.Issues);
        Assert.False(text.IsSuspicious);
        Assert.Empty(text.Warnings());
    }

    [Theory]
    [InlineData("Сергей")]
    [InlineData("Κώστας")]
    [InlineData("Café Müller")]
    [InlineData("東京エージェント")]
    [InlineData("Agent 🤖\uFE0F")]
    public void real_names_in_other_alphabets_are_not_flagged(string name)
    {
        var text = DisplayText.ForName(name);

        Assert.False(text.IsSuspicious, $"{name}: {text.Issues}");
        Assert.Equal(name, text.Text);
    }

    [Fact]
    public void a_right_to_left_override_is_removed_and_flagged()
    {
        // "Invoice Bot" followed by an override that would show "fdp.exe" as "exe.pdf".
        var text = DisplayText.ForName("Invoice \u202Efdp.exe");

        Assert.Equal("Invoice fdp.exe", text.Text);
        Assert.True(text.Issues.HasFlag(DisplayTextIssues.DirectionControls));
        Assert.True(text.IsSuspicious);
        Assert.Contains(text.Warnings(), w => w.Contains("direction", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Pay\u200BPal")]
    [InlineData("Pay\u200DPal")]
    [InlineData("Pay\u2060Pal")]
    [InlineData("Pay\uFEFFPal")]
    [InlineData("Pay\u00ADPal")]
    [InlineData("Pay\u3164Pal")]
    public void invisible_characters_are_removed_and_flagged(string name)
    {
        var text = DisplayText.ForName(name);

        Assert.Equal("PayPal", text.Text);
        Assert.True(text.Issues.HasFlag(DisplayTextIssues.HiddenCharacters));
    }

    [Fact]
    public void a_cyrillic_letter_inside_a_latin_name_is_flagged_with_what_it_imitates()
    {
        var text = DisplayText.ForName("P\u0430yPal"); // Cyrillic а

        Assert.True(text.Issues.HasFlag(DisplayTextIssues.MixedAlphabets));
        Assert.True(text.Issues.HasFlag(DisplayTextIssues.LookAlikeLetters));
        Assert.Equal("PayPal", text.ReadsAs);
        Assert.Contains(text.Warnings(), w => w.Contains("\u201CPayPal\u201D", StringComparison.Ordinal));
    }

    [Fact]
    public void a_name_spelled_entirely_with_cyrillic_look_alikes_is_flagged()
    {
        var text = DisplayText.ForName("\u0440\u0430\u0443\u0440\u0430\u04CF"); // "раураӏ" imitating "paypal"

        Assert.True(text.Issues.HasFlag(DisplayTextIssues.LookAlikeLetters));
        Assert.Equal("paypal", text.ReadsAs);
    }

    [Theory]
    [InlineData("\uFF30\uFF41\uFF59\uFF30\uFF41\uFF4C", "PayPal")] // full-width
    [InlineData("\U0001D40F\U0001D41A\U0001D432", "Pay")] // mathematical bold
    public void styled_latin_letters_are_flagged_with_the_plain_spelling(string name, string plain)
    {
        var text = DisplayText.ForName(name);

        Assert.True(text.Issues.HasFlag(DisplayTextIssues.LookAlikeLetters));
        Assert.Equal(plain, text.ReadsAs);
    }

    [Fact]
    public void a_very_long_name_is_shortened_and_says_how_long_it_was()
    {
        var text = DisplayText.ForName(new string('A', 500));

        Assert.Equal(DisplayText.NameLength + 1, text.Text.Length);
        Assert.EndsWith("\u2026", text.Text, StringComparison.Ordinal);
        Assert.True(text.Issues.HasFlag(DisplayTextIssues.Shortened));
        Assert.False(text.IsSuspicious);
        Assert.Contains(text.Warnings(), w => w.Contains("500", StringComparison.Ordinal));
    }

    [Fact]
    public void names_collapse_whitespace_and_paragraphs_keep_line_breaks()
    {
        Assert.Equal("Trip Planner", DisplayText.ForName("  Trip \n\t Planner  ").Text);
        Assert.Equal("Line one\nLine two", DisplayText.ForParagraph("Line one\nLine   two").Text);
    }

    [Fact]
    public void markup_is_kept_as_text_for_the_page_to_encode()
    {
        var text = DisplayText.ForName("<script>alert(1)</script>");

        Assert.Equal("<script>alert(1)</script>", text.Text);
        Assert.False(text.IsSuspicious);
    }

    [Fact]
    public void null_becomes_empty()
    {
        Assert.Equal("", DisplayText.ForName(null).Text);
    }
}
