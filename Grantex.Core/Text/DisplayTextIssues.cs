namespace Grantex.Core.Text;

/// <summary>What <see cref="DisplayText"/> found (and neutralised) in a name or description shown to a person.</summary>
[Flags]
public enum DisplayTextIssues
{
    None = 0,

    /// <summary>Invisible characters (zero-width, soft hyphen, fillers, tags, controls) were removed.</summary>
    HiddenCharacters = 1,

    /// <summary>Right-to-left / left-to-right override or isolate characters were removed.</summary>
    DirectionControls = 2,

    /// <summary>A word mixes Latin letters with letters of another alphabet (Cyrillic, Greek, ...).</summary>
    MixedAlphabets = 4,

    /// <summary>Letters that imitate Latin letters (another alphabet's look-alikes, full-width or styled forms).</summary>
    LookAlikeLetters = 8,

    /// <summary>The text was longer than the page shows and was shortened.</summary>
    Shortened = 16,
}
