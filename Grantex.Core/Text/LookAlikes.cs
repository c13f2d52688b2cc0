using System.Text;

namespace Grantex.Core.Text;

/// <summary>
/// Letters that imitate Latin ones: the usual homoglyphs of the Cyrillic, Greek, Armenian and Cherokee alphabets,
/// and styled Latin (full-width, mathematical, circled) that Unicode compatibility-folds to plain ASCII.
/// A deliberately small table of the letters used in real spoofing, not the whole Unicode confusables list.
/// </summary>
internal static class LookAlikes
{
    private static readonly Dictionary<int, char> Foreign = Build(
        // Cyrillic
        "аa вb еe оo рp сc уy хx ѕs іi јj ԁd ԛq ԝw һh ӏl ԍg ѵv ѡw ӧo ӓa " +
        "АA ВB ЕE КK МM НH ОO РP СC ТT ХX УY ЅS ІI ЈJ ԚQ ԜW ӀI ԌG ѴV " +
        // Greek
        "αa οo ρp ιi κk νv τt υu χx ϲc ϳj " +
        "ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX Ϲc Ϳj " +
        // Armenian
        "օo սu հh ոn ցg քp զq " +
        // Cherokee
        "ᎪA ᏴB ᏟC ᎬE ᎻH ᏆI ᎫJ ᏦK ᎷM ᏢP ᏚS ᎢT ᏙV ᎳW ᏃZ ᎠD ᏀG ᏞL ᎡR");

    private enum Alphabet
    {
        None,
        Latin,
        Imitable,
        Other,
    }

    /// <summary>The plain Latin text a styled form stands for (full-width "Ｐ" → "P"), or null.</summary>
    public static string? StyledLatin(Rune rune)
    {
        if (rune.IsAscii)
        {
            return null;
        }

        var folded = rune.ToString().Normalize(NormalizationForm.FormKC);
        return folded.Length > 0 && folded.All(c => char.IsAsciiLetterOrDigit(c)) ? folded : null;
    }

    /// <summary>The Latin letter another alphabet's letter imitates (Cyrillic "а" → "a"), or null.</summary>
    public static string? ForeignLatin(Rune rune) => Foreign.TryGetValue(rune.Value, out var latin) ? latin.ToString() : null;

    /// <summary>True when one word holds Latin letters and letters of an alphabet that imitates Latin.</summary>
    public static bool HasMixedWord(string text)
    {
        var latin = false;
        var imitable = false;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune) && !Rune.IsDigit(rune) && rune.Value is not ('-' or '_' or '.' or '\''))
            {
                latin = imitable = false;
                continue;
            }

            switch (AlphabetOf(rune))
            {
                case Alphabet.Latin:
                    latin = true;
                    break;
                case Alphabet.Imitable:
                    imitable = true;
                    break;
                default:
                    break;
            }

            if (latin && imitable)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the text has letters and every one of them is a foreign letter imitating a Latin one.</summary>
    public static bool OnlyImitatingLetters(string text)
    {
        var letters = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (!Rune.IsLetter(rune))
            {
                continue;
            }

            letters++;
            if (!Foreign.ContainsKey(rune.Value))
            {
                return false;
            }
        }

        return letters > 0;
    }

    private static Alphabet AlphabetOf(Rune rune)
    {
        var v = rune.Value;
        if (!Rune.IsLetter(rune))
        {
            return Alphabet.None;
        }

        if (v is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= 0x00C0 and <= 0x02AF) or (>= 0x1E00 and <= 0x1EFF))
        {
            return Alphabet.Latin;
        }

        return v is (>= 0x0370 and <= 0x03FF) or (>= 0x1F00 and <= 0x1FFF) // Greek
            or (>= 0x0400 and <= 0x052F) or (>= 0x1C80 and <= 0x1C8F) or (>= 0x2DE0 and <= 0x2DFF) or (>= 0xA640 and <= 0xA69F) // Cyrillic
            or (>= 0x0530 and <= 0x058F) // Armenian
            or (>= 0x13A0 and <= 0x13FF) or (>= 0xAB70 and <= 0xABBF) // Cherokee
            ? Alphabet.Imitable
            : Alphabet.Other;
    }

    private static Dictionary<int, char> Build(string pairs)
    {
        var map = new Dictionary<int, char>();
        foreach (var pair in pairs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var runes = pair.EnumerateRunes().ToArray();
            map[runes[0].Value] = (char)runes[1].Value;
        }

        return map;
    }
}
