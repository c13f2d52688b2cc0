using System.Globalization;
using System.Text;

namespace Grantex.Core.Text;

/// <summary>
/// Makes developer-supplied text (agent and developer names, descriptions, unknown scopes) safe to show to a person
/// deciding whether to trust it. Markup is never a concern here (Blazor encodes every value); this is about text that
/// looks like something it is not: direction overrides and invisible characters are removed, letters from another
/// alphabet that imitate Latin ones (Cyrillic "а" in "Pаypal") or styled forms (full-width "Ｐ", mathematical "𝐏")
/// are flagged with the name they imitate, and very long text is shortened.
/// </summary>
public sealed record DisplayText(string Text, DisplayTextIssues Issues, string? ReadsAs, int OriginalLength)
{
    /// <summary>Longest agent or developer name shown in full.</summary>
    public const int NameLength = 80;

    /// <summary>Longest description shown in full.</summary>
    public const int ParagraphLength = 600;

    public bool IsSuspicious => (Issues & ~DisplayTextIssues.Shortened) != DisplayTextIssues.None;

    /// <summary>A one-line name: whitespace runs collapse to one space.</summary>
    public static DisplayText ForName(string? value, int maxLength = NameLength) => Clean(value, maxLength, singleLine: true);

    /// <summary>A paragraph: line breaks are kept (the page decides how to show them).</summary>
    public static DisplayText ForParagraph(string? value, int maxLength = ParagraphLength) => Clean(value, maxLength, singleLine: false);

    /// <summary>Plain sentences for the person, one per issue found (empty when nothing was found).</summary>
    public IReadOnlyList<string> Warnings()
    {
        var warnings = new List<string>();
        if (Issues.HasFlag(DisplayTextIssues.LookAlikeLetters) || Issues.HasFlag(DisplayTextIssues.MixedAlphabets))
        {
            warnings.Add(ReadsAs is not null && ReadsAs != Text
                ? $"Uses letters that imitate other letters: it reads like \u201C{ReadsAs}\u201D but is not spelled that way."
                : "Mixes letters from different alphabets, which is a common way to imitate another name.");
        }

        if (Issues.HasFlag(DisplayTextIssues.DirectionControls))
        {
            warnings.Add("Contained characters that reverse the direction of text; they were removed.");
        }

        if (Issues.HasFlag(DisplayTextIssues.HiddenCharacters))
        {
            warnings.Add("Contained invisible characters; they were removed.");
        }

        if (Issues.HasFlag(DisplayTextIssues.Shortened))
        {
            warnings.Add($"Shortened: the full text is {OriginalLength} characters long.");
        }

        return warnings;
    }

    private static DisplayText Clean(string? value, int maxLength, bool singleLine)
    {
        value ??= "";
        var issues = DisplayTextIssues.None;
        var text = new StringBuilder(value.Length);
        var lookAlike = new StringBuilder(value.Length);
        var pendingSpace = false;
        var styled = false;
        var foreign = false;
        foreach (var rune in value.EnumerateRunes())
        {
            if (IsDirectionControl(rune))
            {
                issues |= DisplayTextIssues.DirectionControls;
                continue;
            }

            if (rune.Value is '\n' or '\r' or '\t' || Rune.IsWhiteSpace(rune))
            {
                if (singleLine || rune.Value is not ('\n' or '\r'))
                {
                    pendingSpace = text.Length > 0;
                }
                else if (rune.Value == '\n')
                {
                    text.Append('\n');
                    lookAlike.Append('\n');
                    pendingSpace = false;
                }

                continue;
            }

            if (IsHidden(rune))
            {
                issues |= DisplayTextIssues.HiddenCharacters;
                continue;
            }

            if (pendingSpace)
            {
                text.Append(' ');
                lookAlike.Append(' ');
                pendingSpace = false;
            }

            text.Append(rune.ToString());
            if (LookAlikes.StyledLatin(rune) is { } styledLatin)
            {
                styled = true;
                lookAlike.Append(styledLatin);
            }
            else if (LookAlikes.ForeignLatin(rune) is { } foreignLatin)
            {
                foreign = true;
                lookAlike.Append(foreignLatin);
            }
            else
            {
                lookAlike.Append(rune.ToString());
            }
        }

        var cleaned = text.ToString().Trim();
        if (LookAlikes.HasMixedWord(cleaned))
        {
            issues |= DisplayTextIssues.MixedAlphabets;
        }

        // Another alphabet's letters that happen to look Latin (a real Russian or Greek name) are only flagged next to
        // Latin letters, or when every letter of the text imitates a Latin one ("раураl" is not a Russian word).
        if (styled || (foreign && (issues.HasFlag(DisplayTextIssues.MixedAlphabets) || LookAlikes.OnlyImitatingLetters(cleaned))))
        {
            issues |= DisplayTextIssues.LookAlikeLetters;
        }

        var flagged = (issues & (DisplayTextIssues.LookAlikeLetters | DisplayTextIssues.MixedAlphabets)) != 0;
        var readsAs = flagged ? lookAlike.ToString().Trim() : null;
        var length = new StringInfo(cleaned).LengthInTextElements;
        if (length > maxLength)
        {
            cleaned = new StringInfo(cleaned).SubstringByTextElements(0, maxLength).TrimEnd() + "\u2026";
            issues |= DisplayTextIssues.Shortened;
        }

        return new DisplayText(cleaned, issues, readsAs, length);
    }

    private static bool IsDirectionControl(Rune rune) => rune.Value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

    private static bool IsHidden(Rune rune)
    {
        // Variation selectors shape emoji and some scripts; they hide nothing, so they stay.
        if (rune.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF))
        {
            return false;
        }

        // Zero-width joiner/non-joiner are format characters (Cf) and go with them: they can split or glue a name
        // invisibly. Hangul fillers and the Mongolian vowel separator look like nothing but are letters or spaces.
        return rune.Value is 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x180E or 0x034F or 0x2800
            || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.PrivateUse
                or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
    }
}
