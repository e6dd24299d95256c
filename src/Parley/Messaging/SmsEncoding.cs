namespace Parley.Messaging;

/// <summary>How a message travels over the air: 7-bit GSM alphabet or 16-bit UCS-2/UTF-16.</summary>
public enum SmsEncoding
{
    Gsm7,
    Ucs2,
}
