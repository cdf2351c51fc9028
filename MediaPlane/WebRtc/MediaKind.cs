namespace MediaPlane.WebRtc;

public enum MediaKind
{
    Audio = 1,
    Video = 2,
}
