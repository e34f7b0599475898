package dev.alignloop.shapes.judge;

import dev.alignloop.shapes.prompt.Background;
import java.util.List;

/**
 * What the judge sees in an image, independent of any prompt: compute it once with {@link
 * SceneJudge#analyze} and judge it against several prompts.
 *
 * @param width      image width in pixels
 * @param height     image height in pixels
 * @param background background class (from the median border colour)
 * @param detections objects found, largest first
 */
public record ImageAnalysis(int width, int height, Background background, List<Detection> detections) {
    public ImageAnalysis {
        detections = List.copyOf(detections);
    }
}
