"""nnlib's error messages in Korean, keyed by their English template (see ``playground.i18n``): ``{}`` where
nnlib puts a value, ``{0}``, ``{1}``… where the Korean puts it, since Korean orders the values its own way."""

KO_ERRORS = {
    # nnlib.io: weights files
    "not a weights file (.npz) written by nnlib: {}": "nnlib이 쓴 가중치 파일 (.npz)이 아닙니다: {0}",
    "this is a single NumPy array (.npy), not a weights file (.npz) written by nnlib": "NumPy 배열 하나 (.npy)"
    "입니다. nnlib이 쓴 가중치 파일 (.npz)이 아닙니다",
    "unexpected array(s) {} for this architecture": "이 구조에 없는 배열 {0}이(가) 있습니다",
    "the file would unpack to {} bytes, more than the {} allowed": "압축을 풀면 {0}바이트가 되어 허용된 "
    "{1}바이트를 넘습니다",
    "missing array {}: not a complete weights file written by nnlib": "배열 {0}이(가) 없습니다: nnlib이 쓴 "
    "온전한 가중치 파일이 아닙니다",
    "array {} cannot be read: {}": "배열 {0}을(를) 읽을 수 없습니다: {1}",
    "compression method {} (NumPy writes only stored or deflated members)": "압축 방식 {0} (NumPy는 무압축이나 "
    "deflate로만 씁니다)",
    "{} is not a NumPy array": "{0}은(는) NumPy 배열이 아닙니다",
    "{} must be one JSON string": "{0}은(는) JSON 문자열 하나여야 합니다",
    "{} is not valid JSON: {}": "{0}은(는) 올바른 JSON이 아닙니다: {1}",
    "not an nnlib weights file: {} lacks format {}": "nnlib 가중치 파일이 아닙니다: {0}에 format {1}이(가) 없습니다",
    "weights file version {} is not supported (expected {})": "가중치 파일 버전 {0}은(는) 지원하지 않습니다 "
    "(기대한 버전 {1})",
    "the architecture has no 'config' object": "구조에 'config' 객체가 없습니다",
    "unknown model class {}: expected MLP or TwoLayerNet": "알 수 없는 모델 클래스 {0}: MLP나 TwoLayerNet이어야 합니다",
    "'hidden_sizes' must be a list of at most {} layer sizes": "'hidden_sizes'는 층 크기 {0}개 이하의 목록이어야 "
    "합니다",
    "'activation' must be a list of {}": "'activation'은 {0}의 목록이어야 합니다",
    "'dtype' must be one of {}": "'dtype'은 {0} 중 하나여야 합니다",
    "'weight_init' must be a string": "'weight_init'은 문자열이어야 합니다",
    "the architecture needs {} bytes of parameters, but the file holds {}": "구조에는 매개변수 {0}바이트가 "
    "필요하지만 파일에는 {1}이(가) 있습니다",
    "the config does not describe a TwoLayerNet: it has {} hidden layers, not 1": "config가 TwoLayerNet이 "
    "아닙니다: 은닉층이 1개가 아니라 {0}개입니다",
    "the config does not describe a TwoLayerNet (one sigmoid layer, 'std:0.01' init, float64)": "config가 "
    "TwoLayerNet (시그모이드 층 하나, 'std:0.01' 초깃값, float64)이 아닙니다",
    "the architecture cannot be built: {}": "구조를 만들 수 없습니다: {0}",
    "architecture config: missing {}, unexpected {}": "구조 config: 빠진 항목 {0}, 예상하지 못한 항목 {1}",
    "{} must hold whole numbers from 1 to {}, found {}": "{0}은(는) 1부터 {1}까지의 정수여야 하는데 {2}입니다",
    "{} must be a finite number >= 0, found {}": "{0}은(는) 0 이상의 유한한 수여야 하는데 {1}입니다",
    "{} has shape {}, but the architecture needs {}": "{0}의 형상은 {1}인데, 구조에는 {2}이(가) 필요합니다",
    "{} has dtype {}, but the architecture says {}": "{0}의 dtype은 {1}인데, 구조에는 {2}(으)로 되어 있습니다",
    "{} holds NaN or infinite values": "{0}에 NaN이나 무한대 값이 있습니다",
    # nnlib.datasets: generators and CSV points
    "n (points per class) must be a whole number >= 1, got {}": "n (클래스당 점 개수)은 1 이상의 정수여야 하는데 "
    "{0}입니다",
    "noise must be a finite number >= 0, got {}": "noise는 0 이상의 유한한 수여야 하는데 {0}입니다",
    "classes must be a whole number from 2 to {}, got {}": "classes는 2부터 {0}까지의 정수여야 하는데 {1}입니다",
    "the file is empty: expected rows of x1, x2, label": "파일이 비어 있습니다: x1, x2, label 행이 있어야 합니다",
    "need at least two classes to classify, but {}": "분류하려면 클래스가 둘 이상 있어야 하는데, {0}",
    "need at least two classes to classify, but every row has label {}": "분류하려면 클래스가 둘 이상 있어야 "
    "하는데, 모든 행의 레이블이 {0}입니다",
    "need at least two classes to classify, but there are no data rows": "분류하려면 클래스가 둘 이상 있어야 "
    "하는데, 데이터 행이 없습니다",
    "the file is larger than {} MB": "파일이 {0} MB보다 큽니다",
    "the file is not UTF-8 text (byte {} cannot be decoded): save the CSV as UTF-8": "파일이 UTF-8 텍스트가 "
    "아닙니다 (바이트 {0}을(를) 해독할 수 없습니다): CSV를 UTF-8로 저장하세요",
    "missing column(s) {}: row {} is not all numbers, so it is read as a header, and it names {} instead of x1, "
    "x2, label": "열 {0}이(가) 없습니다: 행 {1}이(가) 모두 숫자가 아니어서 머리글로 읽었는데, x1, x2, label 대신 "
    "{2}이(가) 있습니다",
    "row {}: not readable as CSV ({})": "행 {0}: CSV로 읽을 수 없습니다 ({1})",
    "more than {} data rows: the limit is {} points": "데이터 행이 {0}개를 넘습니다: 점은 {1}개까지입니다",
    "row {}: missing column(s): expected 3 values (x1, x2, label), found {}": "행 {0}: 열이 빠졌습니다: 값 3개 "
    "(x1, x2, label)가 있어야 하는데 {1}개입니다",
    "row {}: too many columns ({}): points have 2 input columns, so a file holds exactly 3: x1, x2, label": "행 "
    "{0}: 열이 너무 많습니다 ({1}개): 점의 입력 열은 2개이므로 파일의 열은 정확히 3개 (x1, x2, label)입니다",
    "row {}, column label: a label must be a whole number from 0 to {}, found {}": "행 {0}, label 열: 레이블은 "
    "0부터 {1}까지의 정수여야 하는데 {2}입니다",
    "row {}, column {}: expected a number, found {}": "행 {0}, {1} 열: 수가 있어야 하는데 {2}입니다",
    "row {}, column {}: {} is not a finite number (NaN or inf)": "행 {0}, {1} 열: {2}은(는) 유한한 수가 "
    "아닙니다 (NaN 또는 inf)",
    # nnlib.models: an architecture that cannot be built (inside "the architecture cannot be built: ...")
    "unknown weight init {}: use 'auto', 'he', 'xavier' or 'std:<positive number>'": "알 수 없는 가중치 초깃값 "
    "{0}: 'auto', 'he', 'xavier', 'std:<양수>' 중 하나를 쓰세요",
    "got {} activations for {} hidden layers: give one name or one per layer": "은닉층 {1}개에 활성화 함수가 "
    "{0}개입니다: 하나를 주거나 층마다 하나씩 주세요",
    "dtype must be float64 or float32, not {}": "dtype은 {0}이(가) 아니라 float64나 float32여야 합니다",
    "unknown activation {}: choose one of {}": "알 수 없는 활성화 함수 {0}: {1} 중에서 고르세요",
    "layer sizes must be positive integers, got {}": "층 크기는 양의 정수여야 하는데 {0}입니다",
    "weight_decay and l1 must be non-negative": "weight_decay와 l1은 음수가 아니어야 합니다",
}
